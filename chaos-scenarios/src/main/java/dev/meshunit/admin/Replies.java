package dev.meshunit.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Map;

/** The admin API's answers that are not data: errors as {@code {"error":"..."}} and empty successes. */
final class Replies {

    private Replies() {}

    static AdminServer.Reply error(int status, String message) {
        return json(status, Map.of("error", message));
    }

    static AdminServer.Reply noContent() {
        return new AdminServer.Reply(204, null, "");
    }

    static AdminServer.Reply json(int status, Object value) {
        try {
            return AdminServer.Reply.json(status, AdminJson.mapper().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
