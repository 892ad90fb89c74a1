package dev.meshunit.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.config.IstioConfig;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mesh YAML shared through a jar (a test-jar, say) loads like YAML in a folder. */
class ConfigSourcesTest {
    @Test
    void loadsYamlFromAJarOnTheClasspath(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("shared-mesh.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("sharedmesh/")); // as Maven writes folders into jars
            out.closeEntry();
            out.putNextEntry(new JarEntry("sharedmesh/service.yaml"));
            out.write("""
                    apiVersion: networking.istio.io/v1
                    kind: ServiceEntry
                    metadata: {name: reviews}
                    spec:
                      hosts: [reviews]
                      resolution: STATIC
                      ports: [{number: 9080, name: http, protocol: HTTP}]
                      endpoints: [{address: 127.0.0.1, ports: {http: ${reviews.port}}}]
                    """.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            IstioConfig config = ConfigSources.load(getClass(), loader, new String[] {"sharedmesh/service.yaml"},
                    Map.of("reviews.port", "8081"), false).config();
            assertThat(config.serviceEntries()).singleElement()
                    .satisfies(se -> assertThat(se.endpoints().get(0).ports()).containsEntry("http", 8081));
            // and again, now that the jar was opened and closed once
            assertThat(ConfigSources.load(getClass(), loader, new String[] {"sharedmesh/"}, Map.of("reviews.port", "1"), false)
                    .config().serviceEntries()).hasSize(1);
        }
    }
}
