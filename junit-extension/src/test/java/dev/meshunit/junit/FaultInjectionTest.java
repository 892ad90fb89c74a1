package dev.meshunit.junit;

import static dev.meshunit.assertj.MeshAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.meshunit.fault.CallKey;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.InjectedFault;
import dev.meshunit.journal.ResponseFlag;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Per-test faults from annotations and from {@code mesh.faults()}: what they hit, how they are journalled, that they end with the test. */
@MeshTest(config = "mesh/ratings")
class FaultInjectionTest {
    static final TinyBackend RATINGS = TinyBackend.start("ratings");
    @Backend("ratings") static final int PORT = RATINGS.port();

    @AfterAll
    static void stop() {
        RATINGS.close();
    }

    static int get(Mesh mesh, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://ratings:9080" + path));
        if (headers.length > 0) b.headers(headers);
        return mesh.httpClient().send(b.build(), BodyHandlers.discarding()).statusCode();
    }

    static List<Integer> get(Mesh mesh, int times) throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < times; i++) statuses.add(get(mesh, "/ratings/" + i));
        return statuses;
    }

    @Test
    @InjectAbort(host = "ratings", status = 503, requests = "2,4")
    void sequencedAbortHitsTheNamedRequests(Mesh mesh) throws Exception {
        assertThat(get(mesh, 5)).containsExactly(200, 503, 200, 503, 200);
        Exchange second = mesh.exchanges("ratings").get(1);
        assertThat(second).hasFlag(ResponseFlag.FI).hasAttempts(0);
        assertThat(second.fault()).isEqualTo(new InjectedFault(0, 503));
    }

    @Test
    @InjectDelay(host = "ratings", delay = "150ms", header = "end-user=jason")
    void delayOnlyForTheMatchingHeader(Mesh mesh) throws Exception {
        get(mesh, "/ratings/1", "end-user", "jason");
        get(mesh, "/ratings/1", "end-user", "bob");
        List<Exchange> all = mesh.exchanges("ratings");
        assertThat(all.get(0)).hasFlag(ResponseFlag.DI);
        assertThat(all.get(0).durationMs()).isGreaterThanOrEqualTo(150);
        assertThat(all.get(1).fault().any()).isFalse();
    }

    @Test
    @InjectFault(host = "ratings", delay = "50ms", abort = 500, path = "/ratings/0")
    void delayThenAbort(Mesh mesh) throws Exception {
        assertThat(get(mesh, 2)).containsExactly(500, 200);
        assertThat(mesh.exchanges("ratings").get(0).flags()).containsExactlyInAnyOrder(ResponseFlag.DI, ResponseFlag.FI);
        assertThat(mesh.exchanges("ratings").get(0).fault()).isEqualTo(new InjectedFault(50, 500));
    }

    @Test
    void retryAwareFaultLetsTheThirdTryOfEachCallThrough(Mesh mesh) throws Exception {
        mesh.faults().abort("ratings", 503).firstAttempts(2, CallKey.header("idempotency-key"));
        List<Integer> statuses = new ArrayList<>();
        for (String key : List.of("a", "a", "a", "b", "b", "b")) statuses.add(get(mesh, "/pay", "idempotency-key", key));
        assertThat(statuses).containsExactly(503, 503, 200, 503, 503, 200);
    }

    @Test
    @InjectAbort(host = "ratings", status = 503)
    @InjectAbort(host = "ratings", status = 429, requests = "1")
    void overridesAreConsultedInOrderAndTheFirstThatFiresWins(Mesh mesh) throws Exception {
        assertThat(get(mesh, 2)).containsExactly(503, 503);
        mesh.faults().clear();
        mesh.faults().abort("ratings", 429).requests(1);
        mesh.faults().abort("ratings", 503);
        assertThat(get(mesh, 2)).containsExactly(429, 503);
    }

    @Nested
    @InjectAbort(host = "ratings", status = 418, requests = "1")
    class ClassLevel {
        @Test
        void appliesToEveryTestCountingAfresh(Mesh mesh) throws Exception {
            assertThat(get(mesh, 2)).containsExactly(418, 200);
        }

        @Test
        void andAgain(Mesh mesh) throws Exception {
            assertThat(get(mesh, 2)).containsExactly(418, 200);
        }
    }

    @Test
    void faultsEndWithTheTest() {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(FaultThenNone.class)).execute().testEvents();
        tests.assertStatistics(s -> s.started(2).succeeded(2));
    }

    @Test
    void badAnnotationFailsTheTestNamingIt() {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(BadDelay.class)).execute().testEvents();
        tests.assertStatistics(s -> s.failed(1));
        assertThat(tests.failed().list().get(0).getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .hasMessageContaining("@InjectDelay(host = \"ratings\") on BadDelay.test()")
                .hasMessageContaining("delay \"soon\" is not a duration");
    }

    @MeshTest(config = "mesh/ratings")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class FaultThenNone {
        static final TinyBackend RATINGS = TinyBackend.start("ratings");
        @Backend("ratings") static final int PORT = RATINGS.port();

        @AfterAll
        static void stop() {
            RATINGS.close();
        }

        @Test
        @Order(1)
        @InjectAbort(host = "ratings", status = 503)
        void addsFaults(Mesh mesh) throws Exception {
            mesh.faults().delay("ratings", java.time.Duration.ofMillis(1));
            assertThat(mesh.faults().list()).hasSize(2);
            assertThat(get(mesh, "/")).isEqualTo(503);
        }

        @Test
        @Order(2)
        void seesNone(Mesh mesh) throws Exception {
            assertThat(mesh.faults().list()).isEmpty();
            assertThat(get(mesh, "/")).isEqualTo(200);
        }
    }

    @MeshTest(config = "mesh/ratings")
    static class BadDelay {
        @Backend("ratings") static final int PORT = 9;

        @Test
        @InjectDelay(host = "ratings", delay = "soon")
        void test() {}
    }
}
