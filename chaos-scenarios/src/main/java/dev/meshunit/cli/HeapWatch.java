package dev.meshunit.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.function.Consumer;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * For {@code meshunit proxy}, which owns its JVM: a heap still {@value #PERCENT}% full after a garbage collection
 * counts as out of memory. The JVM then spends its time collecting and the proxy accepts connections it never
 * answers, often without an {@link OutOfMemoryError} surfacing where the proxy could see it.
 */
final class HeapWatch implements AutoCloseable {
    static final int PERCENT = 95;

    private final NotificationEmitter emitter = (NotificationEmitter) ManagementFactory.getMemoryMXBean();
    private final NotificationListener listener;

    private HeapWatch(Consumer<OutOfMemoryError> exhausted) {
        this.listener = (n, handback) -> {
            if (!n.getType().equals(MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED)) return;
            MemoryNotificationInfo info = MemoryNotificationInfo.from((CompositeData) n.getUserData());
            long mib = 1024 * 1024;
            exhausted.accept(new OutOfMemoryError("Java heap space: " + info.getUsage().getUsed() / mib + " of "
                    + info.getUsage().getMax() / mib + " MiB of " + info.getPoolName() + " still in use after garbage collection"));
        };
        emitter.addNotificationListener(listener, null, null);
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            long max = pool.getUsage().getMax();
            if (pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported() && max > 0) {
                pool.setCollectionUsageThreshold(max / 100 * PERCENT);
            }
        }
    }

    static HeapWatch start(Consumer<OutOfMemoryError> exhausted) {
        return new HeapWatch(exhausted);
    }

    @Override
    public void close() {
        try {
            emitter.removeNotificationListener(listener);
        } catch (ListenerNotFoundException e) {
            // already gone
        }
    }
}
