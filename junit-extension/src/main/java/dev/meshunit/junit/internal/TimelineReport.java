package dev.meshunit.junit.internal;

import dev.meshunit.journal.Journal;
import dev.meshunit.junit.AttachTimeline;
import dev.meshunit.junit.MeshTimeline;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Attaches a test's timeline to its report when it failed or asked for one with {@link AttachTimeline}. */
public final class TimelineReport {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TimelineReport.class);

    private TimelineReport() {}

    /** Called by the extension after each test: a timeline for a failed test, or one that asked for it. */
    public static Optional<Path> afterEach(ExtensionContext context, Journal journal) {
        if (context.getExecutionException().isEmpty() && !requested(context)) return Optional.empty();
        return publishOnce(context, journal);
    }

    /** Attaches the timeline unless this test has one already; returns where it went. */
    public static Optional<Path> publishOnce(ExtensionContext context, Journal journal) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        Path done = store.get("path", Path.class);
        if (done != null) return Optional.of(done);
        String title = context.getRequiredTestClass().getSimpleName() + " - " + context.getDisplayName();
        Optional<Path> path = ReportFiles.publish(context, MeshTimeline.FILE, "text/html", MeshTimeline.html(title, journal));
        path.ifPresent(p -> store.put("path", p));
        return path;
    }

    private static boolean requested(ExtensionContext context) {
        for (AnnotatedElement e : new AnnotatedElement[] {context.getRequiredTestMethod(), context.getRequiredTestClass()}) {
            if (AnnotationSupport.isAnnotated(e, AttachTimeline.class)) return true;
        }
        return false;
    }
}
