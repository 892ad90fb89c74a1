package dev.meshunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.meshunit.MeshProxy;
import dev.meshunit.downstream.DownstreamLimits;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.EngineTestKit;

/** @MeshTest's downstream attributes reach the proxy; a header over the count is answered 431; bad values are named. */
@MeshTest(config = "mesh/settings", applyInOrder = true, placeholders = "region=eu", istioSidecarTimeouts = true,
        streamIdleTimeout = "30s", idleTimeout = "0", maxHeadersCount = 8, maxRequestHeadersKb = 16, maxConnections = 50)
class DownstreamLimitsMeshTest {
    @Backend("flaky") static final StubBackend FLAKY = StubBackend.builder().label("v1").otherwise(StubAnswer.status(503)).start();

    @Test
    void theAttributesReachTheProxy(MeshProxy proxy) {
        assertThat(proxy.downstreamLimits()).isEqualTo(new DownstreamLimits(Duration.ZERO, Duration.ofSeconds(30),
                Duration.ZERO, 8, 16 * 1024, 50, 0));
    }

    @Test
    void moreHeadersThanAllowedGet431(Mesh mesh) throws Exception {
        HttpRequest.Builder many = HttpRequest.newBuilder(URI.create("http://who/"));
        for (int i = 0; i < 10; i++) many.header("x-h" + i, "v");
        assertThat(mesh.httpClient().send(many.build(), BodyHandlers.ofString()).statusCode()).isEqualTo(431);
        assertThat(mesh.httpClient().send(HttpRequest.newBuilder(URI.create("http://who/")).build(), BodyHandlers.ofString())
                .statusCode()).isEqualTo(403);
    }

    @MeshTest(config = "mesh/settings", applyInOrder = true, placeholders = "region=x", streamIdleTimeout = "soon")
    static class BadTimeout {
        @Backend("flaky") static final int PORT = 1;

        @Test
        void never() {}
    }

    @Test
    void aBadTimeoutFailsTheClassNamingTheAttribute() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(BadTimeout.class)).execute().containerEvents()
                .assertThatEvents().haveExactly(1, finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.contains("streamIdleTimeout") && m.contains("\"soon\""))));
    }
}
