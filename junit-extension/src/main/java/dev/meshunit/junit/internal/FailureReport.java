package dev.meshunit.junit.internal;

import dev.meshunit.assertj.internal.ExchangeTable;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.JournalJson;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * What a failed test leaves in the report: the exchanges as a table (a report entry) and the journal as JSON
 * (a file where the JUnit version can publish files, 5.12 and later; a report entry before that).
 */
public final class FailureReport {
    public static final String TABLE_KEY = "meshunit.exchanges";
    public static final String JSON_KEY = "meshunit.journal";
    public static final String JSON_FILE = "meshunit-journal.json";

    private FailureReport() {}

    public static void publish(ExtensionContext context, List<Exchange> exchanges) {
        context.publishReportEntry(TABLE_KEY, "\n" + ExchangeTable.render(exchanges));
        String json = JournalJson.toJson(exchanges);
        if (!publishFile(context, json)) context.publishReportEntry(JSON_KEY, json);
    }

    /** Calls {@code publishFile(name, MediaType, ThrowingConsumer<Path>)} when this JUnit has it. */
    private static boolean publishFile(ExtensionContext context, String json) {
        ThrowingConsumer<Path> writer = path -> Files.writeString(path, json, StandardCharsets.UTF_8);
        for (String mediaTypeClass : new String[] {"org.junit.jupiter.api.MediaType", "org.junit.jupiter.api.extension.MediaType"}) {
            try {
                Class<?> type = Class.forName(mediaTypeClass, false, ExtensionContext.class.getClassLoader());
                Method publish = ExtensionContext.class.getMethod("publishFile", String.class, type, ThrowingConsumer.class);
                Object mediaType = type.getMethod("parse", String.class).invoke(null, "application/json");
                publish.invoke(context, JSON_FILE, mediaType, writer);
                return true;
            } catch (ClassNotFoundException | NoSuchMethodException e) {
                // an older JUnit: try the next, then fall back to a report entry
            } catch (ReflectiveOperationException | RuntimeException e) {
                // e.g. EngineTestKit without an output directory: the entry below still carries the journal
                return false;
            }
        }
        return false;
    }
}
