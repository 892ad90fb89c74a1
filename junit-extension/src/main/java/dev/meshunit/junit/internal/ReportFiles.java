package dev.meshunit.junit.internal;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * Attaches a file to a test's report where JUnit can (5.12 and later, with an output directory), and says where
 * it went; on an older JUnit, writes it to a temporary folder and names it in a report entry.
 */
public final class ReportFiles {
    private ReportFiles() {}

    /** The path the file was written to, empty when it could not be written. */
    public static Optional<Path> publish(ExtensionContext context, String name, String mediaType, String content) {
        AtomicReference<Path> written = new AtomicReference<>();
        ThrowingConsumer<Path> writer = path -> {
            Files.writeString(path, content, StandardCharsets.UTF_8);
            written.set(path);
        };
        for (String type : new String[] {"org.junit.jupiter.api.MediaType", "org.junit.jupiter.api.extension.MediaType"}) {
            try {
                Class<?> mediaTypeClass = Class.forName(type, false, ExtensionContext.class.getClassLoader());
                Method publish = ExtensionContext.class.getMethod("publishFile", String.class, mediaTypeClass, ThrowingConsumer.class);
                publish.invoke(context, name, mediaTypeClass.getMethod("parse", String.class).invoke(null, mediaType), writer);
                return Optional.ofNullable(written.get());
            } catch (ClassNotFoundException | NoSuchMethodException e) {
                // an older JUnit: try the next, then fall back to a temporary file
            } catch (ReflectiveOperationException | RuntimeException e) {
                break; // e.g. EngineTestKit without an output directory
            }
        }
        try {
            Path dir = Files.createTempDirectory("meshunit-report-");
            Path file = dir.resolve(name);
            Files.writeString(file, content, StandardCharsets.UTF_8);
            context.publishReportEntry("meshunit.file." + name, file.toUri().toString());
            return Optional.of(file);
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
