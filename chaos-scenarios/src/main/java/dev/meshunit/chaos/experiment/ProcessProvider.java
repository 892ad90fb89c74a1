package dev.meshunit.chaos.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Chaos Toolkit's {@code process} provider: {@code path}, {@code arguments} (a list of words; an object's keys and
 * values in turn; a string runs through {@code sh -c "path arguments"}), {@code timeout} in seconds (none when not
 * given, as in Chaos Toolkit). Output {@code {status, stdout, stderr}}; a process that cannot start, or runs past
 * its timeout (then it is killed), is a failure.
 */
final class ProcessProvider {
    private static final ObjectMapper JSON = new ObjectMapper();

    JsonNode run(JsonNode p) throws ActivityFailed {
        String path = p.path("path").asText();
        JsonNode args = p.get("arguments");
        List<String> command = new ArrayList<>();
        if (args != null && args.isTextual()) {
            command.addAll(List.of("/bin/sh", "-c", path + " " + args.asText()));
        } else {
            command.add(path);
            if (args != null && args.isArray()) args.forEach(a -> command.add(a.asText()));
            if (args != null && args.isObject()) {
                args.fields().forEachRemaining(e -> {
                    command.add(e.getKey());
                    if (!e.getValue().isNull() && !e.getValue().asText().isEmpty()) command.add(e.getValue().asText());
                });
            }
        }
        Process proc;
        try {
            proc = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new ActivityFailed("cannot start " + path + ": " + e.getMessage());
        }
        try {
            proc.getOutputStream().close();
            CompletableFuture<String> out = drain(proc.getInputStream(), path + " stdout");
            CompletableFuture<String> err = drain(proc.getErrorStream(), path + " stderr");
            JsonNode timeout = p.get("timeout");
            if (timeout != null && timeout.isNumber()) {
                if (!proc.waitFor((long) (timeout.asDouble() * 1000), TimeUnit.MILLISECONDS)) {
                    proc.destroyForcibly();
                    throw new ActivityFailed("process activity took too long to complete (" + timeout.asText() + " s)");
                }
            } else {
                proc.waitFor();
            }
            ObjectNode o = JSON.createObjectNode();
            o.put("status", proc.exitValue());
            o.put("stdout", out.join());
            o.put("stderr", err.join());
            return o;
        } catch (IOException e) {
            throw new ActivityFailed(path + ": " + e.getMessage());
        } catch (InterruptedException e) {
            proc.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ActivityFailed("interrupted running " + path);
        }
    }

    /**
     * Reads a pipe to its end on a thread of its own. Not the common pool: there a reader blocked on stdout (JDK 25
     * runs async tasks on it even at parallelism 1) leaves stderr unread, and a process that fills the stderr pipe
     * before closing stdout never ends.
     */
    private static CompletableFuture<String> drain(InputStream in, String what) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                text.complete(read(in));
            } catch (RuntimeException e) {
                text.completeExceptionally(e);
            }
        }, "meshunit-process " + what);
        reader.setDaemon(true);
        reader.start();
        return text;
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
