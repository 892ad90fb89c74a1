package dev.meshunit.junit.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.meshunit.junit.Backend;
import dev.meshunit.junit.MeshTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Start-up cost of a {@code @MeshTest} class: from the class's first callback to its first test, i.e. loading
 * the YAML, compiling the routes and binding the listeners. The first run in the JVM pays for class loading
 * (Netty, Jackson...); the rest are warm. Run it in a fresh JVM:
 * {@code java -cp <test class path> dev.meshunit.junit.bench.StartupBenchmark [warm runs]}.
 */
public final class StartupBenchmark {
    private StartupBenchmark() {}

    public static void main(String[] args) {
        int warmRuns = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        double first = runOnce();
        List<Double> warm = new ArrayList<>();
        for (int i = 0; i < warmRuns; i++) warm.add(runOnce());
        warm.sort(null);
        System.out.printf(Locale.ROOT, "first in JVM: %.1f ms%nwarm (%d runs): median %.1f ms, p90 %.1f ms, min %.1f ms%n",
                first, warmRuns, warm.get(warmRuns / 2), warm.get(warmRuns * 9 / 10), warm.get(0));
    }

    private static double runOnce() {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(Measured.class)).execute().allEvents()
                .reportingEntryPublished().stream()
                .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs().get(StartClock.KEY))
                .mapToDouble(Double::parseDouble).findFirst().orElseThrow();
    }

    /** Registered before MeshExtension: its beforeAll runs first, its beforeEach after the proxy is up. */
    public static final class StartClock implements BeforeAllCallback, BeforeEachCallback {
        static final String KEY = "startupMs";
        private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(StartClock.class);

        @Override
        public void beforeAll(ExtensionContext context) {
            context.getStore(NS).put("t0", System.nanoTime());
        }

        @Override
        public void beforeEach(ExtensionContext context) {
            long t0 = context.getStore(NS).get("t0", Long.class);
            context.publishReportEntry(KEY, Double.toString((System.nanoTime() - t0) / 1e6));
        }
    }

    @ExtendWith(StartClock.class)
    @MeshTest(config = {"mesh/reviews", "mesh/routing/jason-v2.yaml"})
    static class Measured {
        @Backend("reviews-v1") static final int V1 = 9;
        @Backend("reviews-v2") static final int V2 = 9;

        @Test
        void ready() {}
    }
}
