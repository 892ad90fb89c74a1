package dev.meshunit.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.chaos.containers.MeshUnitContainer;
import dev.meshunit.journal.Exchange;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.images.builder.Transferable;

/**
 * MeshUnit in its own container on a Docker network, between two other containers: a client container (busybox
 * wget with {@code http_proxy=http://meshunit:15001}) calls {@code http://ratings:9080}, MeshUnit routes it to the
 * busybox httpd known as {@code ratings-v1}; the test adds a fault and reads the journal over the admin API.
 */
class MeshUnitContainerTest {
    private static final String MESH = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: ratings}
            spec:
              hosts: [ratings]
              location: MESH_INTERNAL
              resolution: DNS
              ports: [{number: 9080, name: http, protocol: HTTP}]
              endpoints: [{address: ratings-v1, ports: {http: 80}, labels: {version: v1}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: ratings}
            spec:
              hosts: [ratings]
              http: [{retries: {attempts: 0}, route: [{destination: {host: ratings}}]}]
            """;
    private static Network network;
    private static GenericContainer<?> ratings;
    private static MeshUnitContainer mesh;

    @BeforeAll
    static void start() {
        org.junit.jupiter.api.Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(), "no Docker");
        network = Network.newNetwork();
        ratings = new GenericContainer<>(ContainerImages.BUSYBOX).withNetwork(network).withNetworkAliases("ratings-v1")
                .withCopyToContainer(Transferable.of("{\"stars\": 4}"), "/www/ratings/1");
        ratings.start();
        mesh = MeshUnitContainer.fromClasspath(System.getProperty("tc.jre.image", "tc-local/jre17:1"))
                .withConfig(MESH).withSeed(7).withNetwork(network).withNetworkAliases("meshunit");
        mesh.start();
    }

    @AfterAll
    static void stop() {
        if (mesh != null) mesh.stop();
        if (ratings != null) ratings.stop();
        if (network != null) network.close();
    }

    /** One wget from a fresh client container; its output (body, or wget's error) is the container's log. */
    private static String callFromAContainer() {
        try (GenericContainer<?> client = new GenericContainer<>(ContainerImages.BUSYBOX).withNetwork(network)
                .withEnv("http_proxy", "http://meshunit:" + MeshUnitContainer.PROXY_PORT)
                .withCommand("sh", "-c", "wget -q -O - http://ratings:9080/ratings/1 2>&1; echo; echo done")
                .withStartupCheckStrategy(new org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy()
                        .withTimeout(Duration.ofSeconds(60)))) {
            client.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> client.getLogs().contains("done"));
            return client.getLogs();
        }
    }

    @Test
    void aContainerReachesItsDependencyThroughMeshUnitAndTheTestSeesTheJournalAndFaults() {
        mesh.resetJournal();
        assertThat(callFromAContainer()).contains("{\"stars\": 4}");
        mesh.addFault("{\"host\":\"ratings\",\"abort\":503}");
        assertThat(callFromAContainer()).contains("503");
        mesh.clearFaults();

        List<Exchange> journal = mesh.journal();
        assertThat(journal).hasSize(2);
        assertThat(journal.get(0).authority()).isEqualTo("ratings:9080");
        assertThat(journal.get(0).status()).isEqualTo(200);
        assertThat(journal.get(0).lastAttempt().endpoint()).isEqualTo("ratings-v1:80");
        assertThat(journal.get(1).status()).isEqualTo(503);
        assertThat(journal.get(1).flags()).extracting(Enum::name).containsExactly("FI");
        assertThat(mesh.admin("GET", "/stats/prometheus", null)).contains("response_flags=\"FI\"");
    }
}
