package dev.meshunit.junit;

import static dev.meshunit.assertj.MeshAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.meshunit.junit.internal.FailureReport;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** Runs small @MeshTest classes in a nested engine and checks what their users would see. */
class MeshExtensionEngineTest {
    /** The proxy's threads are named after its seed; a seed of its own keeps parallel classes apart. */
    static final String THREADS = "meshunit-fa11ed";

    @Test
    void failedAssertionShowsTheExchangesAsATable() {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(FailingRouting.class))
                .execute().testEvents();

        tests.assertStatistics(s -> s.started(1).failed(1));
        String message = failureMessage(tests);
        assertThat(message)
                .contains("expected every exchange to be served by subset v2 but 2 of 2 did not")
                .contains("id  method  authority+path")
                .containsPattern("GET\\s+reviews:9080/reviews/0\\s+reviews/http\\[1]\\s+v1\\s+200\\s+-\\s+1")
                .doesNotContain("Exchange[");
    }

    @Test
    void withoutFileSupportTheJournalIsAReportEntry() {
        // EngineTestKit refuses files unless given an output directory, as JUnit before 5.12 cannot publish them.
        Events all = EngineTestKit.engine("junit-jupiter").selectors(selectClass(FailingWithReport.class)).execute().allEvents();

        assertThat(reportEntries(all, FailureReport.TABLE_KEY)).hasSize(1);
        assertThat(reportEntries(all, FailureReport.JSON_KEY)).singleElement().asString()
                .startsWith("[{\"id\":").contains("\"abortStatus\":503");
    }

    static List<String> reportEntries(Events events, String key) {
        return events.reportingEntryPublished().stream()
                .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs())
                .filter(m -> m.containsKey(key)).map(m -> m.get(key)).toList();
    }

    @Test
    void proxyThreadsAreGoneAfterTheClass() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(FailingRouting.class)).execute();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(proxyThreads()).isEmpty());
    }

    @Test
    void unboundPlaceholderFailsTheClassNamingIt() {
        Events classes = EngineTestKit.engine("junit-jupiter").selectors(selectClass(MissingBackend.class))
                .execute().containerEvents();

        classes.assertStatistics(s -> s.failed(1));
        assertThat(failureMessage(classes))
                .contains("mesh/reviews/service.yaml:11:")
                .contains("unresolved placeholder ${reviews-v2.port}")
                .contains("placeholders bound by @Backend fields: [reviews-v1.host, reviews-v1.port]");
    }

    @Test
    void instanceBackendFieldNeedsPerMethod() {
        Events classes = EngineTestKit.engine("junit-jupiter").selectors(selectClass(InstanceBackend.class))
                .execute().containerEvents();

        assertThat(failureMessage(classes)).contains("@Backend field InstanceBackend.port is not static")
                .contains("perMethod = true");
    }

    private static String failureMessage(Events events) {
        List<Event> failed = events.failed().list();
        assertThat(failed).hasSize(1);
        return failed.get(0).getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class)
                .getThrowable().orElseThrow().getMessage();
    }

    static List<String> proxyThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(n -> n.startsWith(THREADS)).toList();
    }

    @MeshTest(config = {"mesh/reviews", "mesh/routing/jason-v2.yaml"}, seed = 0xfa11ed)
    static class FailingRouting {
        static final TinyBackend V1 = TinyBackend.start("v1");
        static final TinyBackend V2 = TinyBackend.start("v2");
        @Backend("reviews-v1") static final int V1_PORT = V1.port();
        @Backend("reviews-v2") static final URI V2_URI = URI.create("http://127.0.0.1:" + V2.port());

        @AfterAll
        static void stopBackends() {
            V1.close();
            V2.close();
        }

        @Test
        void everyoneGetsV2(Mesh mesh) throws Exception {
            assertThat(proxyThreads()).as("proxy threads while the class runs").isNotEmpty();
            for (int i = 0; i < 2; i++) {
                mesh.httpClient().send(HttpRequest.newBuilder(URI.create("http://reviews:9080/reviews/" + i)).build(),
                        BodyHandlers.ofString());
            }
            assertThat(mesh.journal()).allServedBySubset("v2");
        }
    }

    /** Its requests never reach the backend (port 9 is never served): the fault answers them. */
    @MeshTest(config = "mesh/ratings")
    static class FailingWithReport {
        @Backend("ratings") static final int PORT = 9;

        @Test
        @InjectAbort(host = "ratings", status = 503)
        void ratingsAnswers(Mesh mesh) throws Exception {
            int status = mesh.httpClient().send(HttpRequest.newBuilder(URI.create("http://ratings:9080/ratings/7")).build(),
                    BodyHandlers.discarding()).statusCode();
            assertThat(status).isEqualTo(200);
        }
    }

    @MeshTest(config = {"mesh/reviews", "mesh/routing/jason-v2.yaml"})
    static class MissingBackend {
        @Backend("reviews-v1") static final int V1_PORT = 9;

        @Test
        void neverRuns() {}
    }

    @MeshTest(config = {"mesh/reviews", "mesh/routing/jason-v2.yaml"})
    static class InstanceBackend {
        @Backend("reviews-v1") final int port = 9;

        @Test
        void neverRuns() {}
    }
}
