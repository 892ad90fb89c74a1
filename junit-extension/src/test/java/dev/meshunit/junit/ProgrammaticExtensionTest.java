package dev.meshunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.testkit.engine.EngineTestKit;

/** {@code MeshExtension.builder()} for {@code @RegisterExtension}, and the opt-in JVM-wide proxy. */
@Isolated("JvmWide replaces the JVM's default ProxySelector while it runs")
class ProgrammaticExtensionTest {
    static final TinyBackend RATINGS = TinyBackend.start("ratings");

    @RegisterExtension
    static final MeshExtension MESH = MeshExtension.builder().config("mesh/ratings").backend("ratings", RATINGS.port())
            .seed(7).build();

    @AfterAll
    static void stop() {
        RATINGS.close();
    }

    @Test
    void staticFieldStartsOneProxyForTheClass(Mesh mesh) throws Exception {
        String body = mesh.httpClient().send(HttpRequest.newBuilder(URI.create("http://ratings:9080/")).build(),
                BodyHandlers.ofString()).body();
        assertThat(body).isEqualTo("ratings");
        assertThat(mesh.journal().seed()).isEqualTo(7);
    }

    @Test
    void instanceFieldStartsOneProxyPerTest() {
        PerTestFixture.PORTS.clear();
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(PerTestFixture.class)).execute().testEvents()
                .assertStatistics(s -> s.succeeded(2));
        assertThat(PerTestFixture.PORTS).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void jvmWideProxyIsTheDefaultSelectorForTheClassOnly() {
        ProxySelector before = ProxySelector.getDefault();
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(JvmWide.class)).execute().testEvents()
                .assertStatistics(s -> s.succeeded(1));
        assertThat(ProxySelector.getDefault()).isSameAs(before);
    }

    static class PerTestFixture {
        static final List<Integer> PORTS = new CopyOnWriteArrayList<>();

        @RegisterExtension
        final MeshExtension mesh = MeshExtension.builder().config("mesh/ratings").backend("ratings", 9).build();

        @Test
        void one(Mesh mesh) {
            PORTS.add(mesh.proxy().port());
        }

        @Test
        void two(Mesh mesh) {
            PORTS.add(mesh.proxy().port());
        }
    }

    @MeshTest(config = "mesh/ratings", jvmWideProxy = true)
    static class JvmWide {
        @Backend("ratings") static final int PORT = RATINGS.port();

        @Test
        void clientsWithoutProxySettingsGoThroughTheMesh(Mesh mesh) throws Exception {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://ratings:9080/plain").toURL().openConnection();
            try (InputStream in = c.getInputStream()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("ratings");
            } finally {
                c.disconnect();
            }
            assertThat(mesh.exchanges("ratings")).singleElement().satisfies(e -> assertThat(e.path()).isEqualTo("/plain"));
        }
    }
}
