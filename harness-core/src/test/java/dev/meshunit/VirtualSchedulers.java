package dev.meshunit;

import dev.meshunit.internal.time.Scheduler;

/** For unit tests of the proxy's parts: the scheduler a proxy would get from a {@link VirtualTime}. */
public final class VirtualSchedulers {
    private VirtualSchedulers() {}

    public static Scheduler of(VirtualTime time) {
        return time.scheduler();
    }
}
