package dev.meshunit.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Makes Netty's leak reports something a test can assert on. Netty reports a leaked buffer only in its log,
 * and only when a later allocation finds the collected buffer; this installs a detector factory that also
 * keeps every report, before the first buffer class is initialised (by the launcher session, see
 * {@link Session}), and {@link #collect()} makes the reports come out. Leaks are process-wide, so a report
 * fails whichever check runs next: the leak may come from another test class.
 */
public final class LeakWatch {
    /** A hint for (pooled: unpooled heap buffers are not tracked) buffers leaked on purpose to check the watch itself; their reports are counted apart. */
    public static final String DELIBERATE = "meshunit-deliberate-leak";

    private static final List<String> REPORTS = new CopyOnWriteArrayList<>();
    private static final Set<String> WATCHED = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger DELIBERATE_SEEN = new AtomicInteger();
    private static volatile boolean installed;

    private LeakWatch() {}

    /** Opens with the test run, so that the watch is in place before Netty creates its detectors. */
    public static final class Session implements LauncherSessionListener {
        @Override
        public void launcherSessionOpened(LauncherSession session) {
            install();
        }
    }

    public static synchronized void install() {
        if (installed) return;
        installed = true;
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            @SuppressWarnings("deprecation")
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                    long maxActive) {
                WATCHED.add(resource.getName());
                return new Recording<>(resource, samplingInterval);
            }
        });
    }

    /** Whether buffers are watched: false when some buffer class was initialised before {@link #install()}. */
    public static boolean watchesBuffers() {
        PooledByteBufAllocator.DEFAULT.buffer(1).release();
        return WATCHED.contains(ByteBuf.class.getName());
    }

    /**
     * Collects garbage and allocates, so that Netty reports what it found unreleased, and returns every report
     * so far (not the deliberate ones). The collector enqueues references on its own thread, hence a few rounds.
     */
    public static List<String> collect() {
        for (int round = 0; round < 5; round++) {
            triggerReports();
        }
        return List.copyOf(REPORTS);
    }

    /** One round: collect garbage, then allocate so that each detector polls its queue of collected buffers. */
    public static void triggerReports() {
        System.gc();
        System.runFinalization();
        for (int i = 0; i < 8; i++) {
            PooledByteBufAllocator.DEFAULT.buffer(64).release();
            PooledByteBufAllocator.DEFAULT.directBuffer(64).release();
        }
    }

    public static int deliberateLeaksReported() {
        return DELIBERATE_SEEN.get();
    }

    private static final class Recording<T> extends ResourceLeakDetector<T> {
        @SuppressWarnings("deprecation")
        Recording(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            if (records.contains(DELIBERATE)) {
                DELIBERATE_SEEN.incrementAndGet();
                return;
            }
            REPORTS.add("LEAK: " + resourceType + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            REPORTS.add("LEAK: " + resourceType + " (untraced; run with -Dio.netty.leakDetection.level=PARANOID)");
            super.reportUntracedLeak(resourceType);
        }
    }
}
