package dev.meshunit.junit;

import static dev.meshunit.junit.RequestCount.atLeast;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.meshunit.junit.internal.ConfigWarnings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * A host name that the config does not declare fails at once, naming the nearest declared one; the loader's
 * warnings reach the console once per class and the report. Isolated: it swaps {@code System.err} to read
 * what the extension prints.
 */
@Isolated("replaces System.err while a nested engine runs")
class WarningsAndTyposTest {
    private static final String NEAREST = "did you mean ratings? (declared: ratings)";

    @MeshTest(config = "mesh/warned", perMethod = true, seed = 0x7e57)
    static class Warned {
        @Backend("ratings") final StubBackend ratings = StubBackend.start("v1");

        @Test
        void one(Mesh mesh) {
            assertThat(mesh.exchanges("ratings")).isEmpty();
        }

        @Test
        void two(Mesh mesh) {
            assertThat(mesh.exchanges("ratings.default.svc.cluster.local")).isEmpty();
        }

        @Test
        void journalQueryTypo(Mesh mesh) {
            mesh.exchanges("rating");
        }

        @Test
        void waitTypo(Mesh mesh) {
            mesh.awaitRequests("ratngs", atLeast(1), Duration.ofSeconds(30));
        }

        @Test
        void runtimeFaultTypo(Mesh mesh) {
            mesh.faults().abort("ratngs", 503);
        }

        @Test
        @InjectAbort(host = "rating", status = 503)
        void annotationTypo() {}
    }

    private static Events run() {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(Warned.class)).execute().allEvents();
            PRINTED.set(err.toString(StandardCharsets.UTF_8));
            return events;
        } finally {
            System.setErr(saved);
        }
    }

    private static final ThreadLocal<String> PRINTED = new ThreadLocal<>();

    @Test
    void typosFailAtOnceNamingTheNearestHost() {
        long start = System.nanoTime();
        Events events = run();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(25));   // the wait did not wait

        assertThat(events.succeeded().stream().filter(e -> e.getTestDescriptor().isTest()).count()).isEqualTo(2);
        assertThat(events.failed().stream().filter(e -> e.getTestDescriptor().isTest()).count()).isEqualTo(4);
        assertThat(failure(events, "journalQueryTypo")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mesh.exchanges(\"rating\"): no host \"rating\" in the config; " + NEAREST);
        assertThat(failure(events, "waitTypo")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mesh.awaitRequests(\"ratngs\", ...): no host \"ratngs\" in the config; " + NEAREST);
        assertThat(failure(events, "runtimeFaultTypo")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fault: no host \"ratngs\" in the config; " + NEAREST);
        assertThat(failure(events, "annotationTypo")).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("fault annotation on Warned.annotationTypo(): no host \"rating\" in the config; " + NEAREST);
    }

    @Test
    void warningsArePrintedOncePerClassAndReported() {
        Events events = run();
        String printed = PRINTED.get();

        String warning = "subset v2 selects no endpoint of ratings.default.svc.cluster.local; requests to it will get 503 (UH)";
        assertThat(printed).startsWith("MeshUnit: the config of Warned has 1 warning:\n  warning: ")
                .contains("mesh/warned/service.yaml:20:5: DestinationRule ratings: subsets[1]: " + warning);
        assertThat(printed.split("subset v2 selects", -1)).hasSize(2);   // six proxies (one per test), printed once
        assertThat(MeshExtensionEngineTest.reportEntries(events, ConfigWarnings.KEY)).singleElement().asString()
                .contains(warning);
    }

    private static Throwable failure(Events events, String method) {
        return events.failed().stream().filter(e -> e.getTestDescriptor().getDisplayName().startsWith(method))
                .findFirst().orElseThrow().getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class)
                .getThrowable().orElseThrow();
    }
}
