package dev.meshunit.internal.upstream;

import dev.meshunit.journal.OutlierEvent;
import java.time.Clock;
import java.util.function.Consumer;

/** What clusters take from their proxy: the clock outlier detection runs on, and where its events go. */
public record ClusterContext(Clock clock, Consumer<OutlierEvent> events) {
    public static final ClusterContext DEFAULT = new ClusterContext(Clock.systemUTC(), e -> {});
}
