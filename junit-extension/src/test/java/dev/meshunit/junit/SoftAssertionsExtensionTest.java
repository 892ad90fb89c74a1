package dev.meshunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.meshunit.assertj.MeshSoftAssertions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import org.assertj.core.api.junit.jupiter.InjectSoftAssertions;
import org.assertj.core.api.junit.jupiter.SoftAssertionsExtension;
import org.assertj.core.error.AssertJMultipleFailuresError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** MeshSoftAssertions injected by AssertJ's SoftAssertionsExtension: every failure is reported, each with its table. */
class SoftAssertionsExtensionTest {

    @Test
    void injectedSoftAssertionsReportEveryFailureAtTheEnd() {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(TwoFailures.class)).execute().testEvents();

        tests.assertStatistics(s -> s.failed(1));
        Throwable failure = tests.failed().list().get(0).getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
        assertThat(failure).isInstanceOfSatisfying(AssertJMultipleFailuresError.class, e -> assertThat(e.getFailures()).hasSize(2))
                .hasMessageContaining("expected every exchange to have status 503 but 1 of 1 did not")
                .hasMessageContaining("expected every exchange to carry request header idempotency-key")
                .hasMessageContaining("ratings:9080/soft");
    }

    @MeshTest(config = "mesh/ratings")
    @ExtendWith(SoftAssertionsExtension.class)
    @InjectAbort(host = "ratings", status = 500)
    static class TwoFailures {
        @Backend("ratings") static final int PORT = 9;

        @InjectSoftAssertions
        MeshSoftAssertions softly;

        @Test
        void test(Mesh mesh) throws Exception {
            mesh.httpClient().send(HttpRequest.newBuilder(URI.create("http://ratings:9080/soft")).build(), BodyHandlers.discarding());
            softly.assertThat(mesh.exchanges("ratings")).hasRequestCount(1).allHaveStatus(503).allHaveRequestHeader("idempotency-key");
        }
    }
}
