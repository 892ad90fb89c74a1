package dev.meshunit.junit;

import dev.meshunit.journal.Journal;
import dev.meshunit.junit.internal.TimelineHtml;

/**
 * A journal as a picture: a self-contained HTML page with one lane per service and each exchange on a time axis
 * (attempts, back-off gaps, injected delays and aborts, shadows linked to their primary, outlier ejections). The
 * extension attaches it to failed tests as {@code meshunit-timeline.html}; {@link AttachTimeline} asks for it
 * always; this is for anything else, e.g. a chaos run outside JUnit.
 */
public final class MeshTimeline {
    public static final String FILE = "meshunit-timeline.html";

    private MeshTimeline() {}

    public static String html(String title, Journal journal) {
        return TimelineHtml.render(title, journal.seed(), journal.exchanges(), journal.shadows().all(), journal.events());
    }
}
