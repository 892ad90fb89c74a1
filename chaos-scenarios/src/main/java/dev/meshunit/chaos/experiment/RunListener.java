package dev.meshunit.chaos.experiment;

import java.time.Instant;

/** What a run tells the load driver and the report: each part of the experiment as it ends. */
public interface RunListener {
    /**
     * A part ended: {@code kind} is {@code hypothesis-before}, {@code hypothesis-after}, {@code hypothesis-during},
     * {@code action}, {@code probe} (of the method) or {@code rollback}; an activity's span includes its pauses.
     */
    void phase(String kind, String name, Instant start, Instant end, boolean ok);

    /** An activity of the method is about to start: the progress line names it. */
    default void started(String kind, String name) {}

    RunListener NONE = (kind, name, start, end, ok) -> {};
}
