package dev.meshunit.chaos.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.BiConsumer;

/** What a provider needs before it can run: {@code http} a url, {@code process} a path. */
final class ProviderCheck {
    private ProviderCheck() {}

    static void check(JsonNode p, String path, BiConsumer<String, String> problem) {
        if (p == null || !p.isObject()) {
            problem.accept(path, "required: an object with a type (http or process)");
            return;
        }
        String type = p.path("type").asText();
        switch (type) {
            case "http" -> {
                if (p.path("url").asText("").isBlank()) problem.accept(path + ".url", "required for an http provider");
                JsonNode headers = p.get("headers");
                if (headers != null && !headers.isObject()) problem.accept(path + ".headers", "must be a mapping of names to values");
                JsonNode timeout = p.get("timeout");
                boolean seconds = timeout != null && (timeout.isNumber() || timeout.asText().matches("\\d+(\\.\\d+)?"));
                if (timeout != null && !seconds && !(timeout.isArray() && timeout.size() == 2)) {
                    problem.accept(path + ".timeout", "seconds, or [connect, read] seconds");
                }
            }
            case "process" -> {
                if (p.path("path").asText("").isBlank()) problem.accept(path + ".path", "required for a process provider");
            }
            case "python" -> problem.accept(path + ".type", "python providers run only under Chaos Toolkit's own chaos run; "
                    + "meshunit run has http and process (MeshUnit's own actions are http calls to its admin API)");
            default -> problem.accept(path + ".type", "must be http or process, was '" + type + "'");
        }
    }
}
