package dev.meshunit.junit;

import static dev.meshunit.assertj.MeshAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.meshunit.VirtualTime;
import dev.meshunit.router.RetryDefaults;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Every core setting reaches the proxy from @MeshTest's attributes and from the builder; bad values are named. */
@MeshTest(config = "mesh/settings", applyInOrder = true, retryDefaults = RetryDefaults.ISTIO_1_23, journalCapacity = 2,
        sourceLabels = "app=productpage", placeholders = "region=eu-west", seed = 11)
class CoreSettingsTest {
    @Backend("flaky") static final StubBackend FLAKY = StubBackend.builder().label("v1").otherwise(StubAnswer.status(503)).start();

    static HttpResponse<String> get(Mesh mesh, String url) throws Exception {
        return mesh.httpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), BodyHandlers.ofString());
    }

    @Test
    void istio123RetryDefaultsRetryA503Twice(Mesh mesh) throws Exception {
        FLAKY.reset();
        assertThat(get(mesh, "http://flaky/").statusCode()).isEqualTo(503);
        assertThat(mesh.exchanges("flaky")).singleExchange().hasAttempts(3);
        assertThat(FLAKY.requestCount()).isEqualTo(3);
    }

    @Test
    void theJournalKeepsItsCapacity(Mesh mesh) throws Exception {
        for (int i = 0; i < 3; i++) get(mesh, "http://who/");
        assertThat(mesh.journal().exchanges()).hasRequestCount(2);
    }

    @Test
    void filesAppliedInOrderAndTheSourceIdentityMeetsSourceLabels(Mesh mesh) throws Exception {
        HttpResponse<String> response = get(mesh, "http://who/");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("eu-west");   // the placeholder from @MeshTest(placeholders)
    }

    /** The same settings from the builder, and the defaults when none are given. */
    static class Programmatic {
        @RegisterExtension
        static final MeshExtension MESH = MeshExtension.builder().config("mesh/settings").applyInOrder(true)
                .backend("flaky", FLAKY.port()).placeholder("region", "us").retryDefaults(RetryDefaults.NONE)
                .source("default", Map.of("app", "reviews")).journalCapacity(5).ioThreads(1).proxy(b -> b.seed(99))
                .journalHeaderLimits(2, 8192).journalMaxBytes(1 << 20).tlsInspectionTimeout(java.time.Duration.ofSeconds(3))
                .build();

        @Test
        void settingsApply(Mesh mesh) throws Exception {
            assertThat(get(mesh, "http://who/").statusCode()).isEqualTo(403);   // app=reviews is not productpage
            // Headers of its own, so more than 2 values on any JDK (17's client adds Content-Length: 0 to a GET, 25's not)
            HttpRequest flaky = HttpRequest.newBuilder(URI.create("http://flaky/")).header("x-one", "1").header("x-two", "2")
                    .build();
            assertThat(mesh.httpClient().send(flaky, BodyHandlers.ofString()).statusCode()).isEqualTo(503);
            assertThat(mesh.exchanges("flaky")).singleExchange().hasAttempts(1);   // no default retries
            assertThat(mesh.journal().seed()).isEqualTo(99);
            assertThat(mesh.exchanges("flaky").get(0).truncation().any()).as("2 header values kept, the rest cut").isTrue();
        }
    }

    @Test
    void builderSettingsApply() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(Programmatic.class)).execute().testEvents()
                .assertStatistics(s -> s.succeeded(1));
    }

    @MeshTest(config = "mesh/settings", applyInOrder = true, placeholders = "region=vt", sourceLabels = "app=productpage",
            virtualTime = true)
    static class OnVirtualTime {
        @Backend("flaky") static final int PORT = 1;

        @Test
        void theProxyRunsOnTheTimeTheTestMoves(Mesh mesh, VirtualTime time) throws Exception {
            assertThat(time).isSameAs(mesh.time()).isSameAs(mesh.proxy().virtualTime().orElseThrow());
            time.advance(Duration.ofSeconds(90));
            assertThat(get(mesh, "http://who/").body()).isEqualTo("vt");
            assertThat(mesh.journal().exchanges().get(0).start()).isEqualTo(Instant.parse("2026-01-01T00:01:30Z"));
        }
    }

    static class OnGivenVirtualTime {
        static final VirtualTime TIME = VirtualTime.startingAt(Instant.parse("2030-05-01T12:00:00Z"));

        @RegisterExtension
        static final MeshExtension MESH = MeshExtension.builder().config("mesh/settings").applyInOrder(true)
                .backend("flaky", 1).placeholder("region", "x").virtualTime(TIME).build();

        @Test
        void theGivenTimeIsTheProxys(Mesh mesh) throws Exception {
            assertThat(mesh.time()).isSameAs(TIME);
            get(mesh, "http://who/");
            assertThat(mesh.journal().exchanges().get(0).start()).isEqualTo(Instant.parse("2030-05-01T12:00:00Z"));
        }
    }

    static class WallClockAskedForVirtualTime {
        @RegisterExtension
        static final MeshExtension MESH = MeshExtension.builder().config("mesh/settings").applyInOrder(true)
                .backend("flaky", 1).placeholder("region", "x").build();

        @Test
        void never(VirtualTime time) {}
    }

    @Test
    void virtualTimeFromTheAnnotationAndTheBuilder() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(OnVirtualTime.class), selectClass(OnGivenVirtualTime.class))
                .execute().testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(WallClockAskedForVirtualTime.class)).execute().testEvents()
                .assertThatEvents().haveExactly(1, finishedWithFailure(instanceOf(ParameterResolutionException.class),
                        message(m -> m.contains("this mesh runs on the wall clock: use @MeshTest(virtualTime = true)"))));
    }

    @Test
    void aMeshOnTheWallClockHasNoTimeToMove(Mesh mesh) {
        assertThat(mesh.proxy().virtualTime()).isEmpty();
        assertThatThrownBy(mesh::time).isInstanceOf(IllegalStateException.class).hasMessageContaining("wall clock");
    }

    @MeshTest(config = "mesh/settings", applyInOrder = true, placeholders = "region=x", journalCapacity = 0)
    static class BadCapacity {
        @Backend("flaky") static final int PORT = 1;

        @Test
        void never() {}
    }

    @MeshTest(config = "mesh/settings", sourceLabels = "productpage")
    static class BadLabels {
        @Test
        void never() {}
    }

    static class BadBuilderValue {
        @RegisterExtension
        static final MeshExtension MESH = MeshExtension.builder().backend("flaky", 1).placeholder("region", "x")
                .config("mesh/settings").applyInOrder(true).ioThreads(0).build();

        @Test
        void never() {}
    }

    @Test
    void aValueTheCoreRefusesFailsTheClassNamingTheSetting() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(BadCapacity.class)).execute().containerEvents()
                .assertThatEvents().haveExactly(1, finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message("MeshUnit proxy of BadCapacity: journalCapacity = 0: journal capacity must be >= 1, got 0")));
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(BadLabels.class)).execute().containerEvents()
                .assertThatEvents().haveExactly(1, finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message("@MeshTest(sourceLabels) of BadLabels: \"productpage\" is not name=value")));
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(BadBuilderValue.class)).execute().containerEvents()
                .assertThatEvents().haveExactly(1, finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message("MeshUnit proxy of BadBuilderValue: ioThreads(0): ioThreads must be >= 1, got 0")));
    }
}
