package dev.meshunit.junit.internal;

import dev.meshunit.assertj.internal.ExchangeTable;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.JournalJson;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * What a failed test leaves behind, where people look: the exchanges as a table on the console and as a
 * report entry, and the journal as JSON, a file JUnit publishes (5.12 and later, given an output directory),
 * else a file under {@code target/meshunit/} and a report entry; the console says which file.
 */
public final class FailureReport {
    public static final String TABLE_KEY = "meshunit.exchanges";
    public static final String JSON_KEY = "meshunit.journal";
    public static final String JSON_FILE = "meshunit-journal.json";

    private FailureReport() {}

    public static void publish(ExtensionContext context, List<Exchange> exchanges) {
        publish(context, exchanges, System.err, Path.of("target", "meshunit"));
    }

    static void publish(ExtensionContext context, List<Exchange> exchanges, PrintStream console, Path fallbackDir) {
        String table = ExchangeTable.render(exchanges);
        context.publishReportEntry(TABLE_KEY, "\n" + table);
        String json = JournalJson.toJson(exchanges);
        Path written = publishFile(context, json);
        if (written == null) {
            context.publishReportEntry(JSON_KEY, json);
            written = writeFallback(context, json, fallbackDir);
        }
        StringBuilder out = new StringBuilder("MeshUnit: ").append(context.getDisplayName()).append(" in ")
                .append(context.getRequiredTestClass().getSimpleName()).append(" failed; the proxy saw ")
                .append(exchanges.size()).append(exchanges.size() == 1 ? " exchange" : " exchanges").append(":\n")
                .append(table.isEmpty() || table.endsWith("\n") ? table : table + "\n");
        out.append(written != null ? "MeshUnit: journal JSON written to " + written.toAbsolutePath() + "\n"
                : "MeshUnit: journal JSON in report entry " + JSON_KEY + "\n");
        console.print(out);
        console.flush();
    }

    /** Where JUnit has no file to give: {@code target/meshunit/<class>.<method>.journal.json}; null if that fails. */
    private static Path writeFallback(ExtensionContext context, String json, Path dir) {
        try {
            String name = context.getRequiredTestClass().getName() + "." + context.getTestMethod().map(Method::getName).orElse("class")
                    + "." + Integer.toHexString(context.getUniqueId().hashCode()) + ".journal.json";
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve(name), json, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Calls {@code publishFile(name, MediaType, ThrowingConsumer<Path>)} when this JUnit has it; the file, or null. */
    private static Path publishFile(ExtensionContext context, String json) {
        AtomicReference<Path> written = new AtomicReference<>();
        ThrowingConsumer<Path> writer = path -> written.set(Files.writeString(path, json, StandardCharsets.UTF_8));
        for (String mediaTypeClass : new String[] {"org.junit.jupiter.api.MediaType", "org.junit.jupiter.api.extension.MediaType"}) {
            try {
                Class<?> type = Class.forName(mediaTypeClass, false, ExtensionContext.class.getClassLoader());
                Method publish = ExtensionContext.class.getMethod("publishFile", String.class, type, ThrowingConsumer.class);
                Object mediaType = type.getMethod("parse", String.class).invoke(null, "application/json");
                publish.invoke(context, JSON_FILE, mediaType, writer);
                return written.get();
            } catch (ClassNotFoundException | NoSuchMethodException e) {
                // an older JUnit: try the next, then fall back to a report entry
            } catch (ReflectiveOperationException | RuntimeException e) {
                // e.g. EngineTestKit without an output directory: the entry below still carries the journal
                return null;
            }
        }
        return null;
    }
}
