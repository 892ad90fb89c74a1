package dev.meshunit.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.chaos.containers.ContainerEndpoints;
import dev.meshunit.chaos.containers.MeshSidecar;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * busybox httpd in a container behind the HTTP sidecar: the ServiceEntry's endpoint is the container's mapped
 * port (placeholders), and a VirtualService aborts or delays by header before the request reaches it.
 */
@Testcontainers(disabledWithoutDocker = true)
@ExtendWith(NettyLeakCheck.class)
class ContainerHttpSidecarTest {
    private static final String MESH = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: web}
            spec:
              hosts: [web]
              ports: [{number: 80, name: http, protocol: HTTP}]
              resolution: STATIC
              endpoints:
              - {address: "${web.host}", ports: {http: "${web.port}"}}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: web}
            spec:
              hosts: [web]
              http:
              - match: [{headers: {x-fault: {exact: abort}}}]
                fault: {abort: {httpStatus: 503, percentage: {value: 100}}}
                route: [{destination: {host: web}}]
              - match: [{headers: {x-fault: {exact: delay}}}]
                fault: {delay: {fixedDelay: 300ms, percentage: {value: 100}}}
                route: [{destination: {host: web}}]
              - route: [{destination: {host: web}}]
            """;

    @Container
    static final GenericContainer<?> web = ContainerEndpoints.publishOnLoopback(new GenericContainer<>(ContainerImages.BUSYBOX)
            .withCopyToContainer(Transferable.of("aborted?\n"), "/www/abort.txt")
            .withCopyToContainer(Transferable.of("delayed\n"), "/www/delay.txt")
            .withCopyToContainer(Transferable.of("plain\n"), "/www/plain.txt")
            .withCommand("httpd", "-f", "-vv", "-p", "80", "-h", "/www")
            .withExposedPorts(80)
            .waitingFor(Wait.forHttp("/index.html")));

    @Container
    static final MeshSidecar mesh = MeshSidecar.builder()
            .bind("web", web, 80)
            .yaml("mesh.yaml", MESH)
            .proxy(p -> p.seed(42))
            .build();

    private final HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(mesh.address())).build();

    @Test
    void abortedRequestNeverReachesTheContainer() throws Exception {
        HttpResponse<String> aborted = get("/abort.txt", "abort");
        assertThat(aborted.statusCode()).isEqualTo(503);
        Exchange abort = last("/abort.txt");
        assertThat(abort.flags()).containsExactly(ResponseFlag.FI);
        assertThat(abort.attempts()).isEmpty();

        HttpResponse<String> passed = get("/abort.txt", null);
        assertThat(passed.statusCode()).isEqualTo(200);
        assertThat(passed.body()).isEqualTo("aborted?\n");
        assertThat(last("/abort.txt").attempts()).singleElement()
                .satisfies(a -> assertThat(a.endpoint()).isEqualTo("127.0.0.1:" + web.getMappedPort(80)));
        // httpd -vv logs each request's url; only the second one got there
        await().atMost(Duration.ofSeconds(5)).until(() -> served("/abort.txt") >= 1);
        assertThat(served("/abort.txt")).isEqualTo(1);
    }

    @Test
    void delayedRequestReachesTheContainerLate() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> delayed = get("/delay.txt", "delay");
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertThat(delayed.statusCode()).isEqualTo(200);
        assertThat(delayed.body()).isEqualTo("delayed\n");
        assertThat(millis).isGreaterThanOrEqualTo(300);
        Exchange delay = last("/delay.txt");
        assertThat(delay.flags()).containsExactly(ResponseFlag.DI);
        assertThat(delay.attempts()).singleElement().satisfies(a -> assertThat(a.status()).isEqualTo(200));
        await().atMost(Duration.ofSeconds(5)).until(() -> served("/delay.txt") == 1);
    }

    @Test
    void aServiceEntryBuiltInJavaPointsAtTheContainer() throws Exception {
        try (MeshSidecar plain = MeshSidecar.builder()
                .config(() -> ContainerEndpoints.serviceEntry("web", 80, web, 80, Map.of("version", "v1")))
                .build()) {
            plain.start();
            HttpClient direct = HttpClient.newBuilder().proxy(ProxySelector.of(plain.address())).build();
            HttpResponse<String> r = direct.send(HttpRequest.newBuilder(URI.create("http://web/plain.txt")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).isEqualTo("plain\n");
            assertThat(plain.journal().exchanges()).singleElement()
                    .satisfies(e -> assertThat(e.lastAttempt().endpoint()).isEqualTo("127.0.0.1:" + web.getMappedPort(80)));
        }
    }

    private HttpResponse<String> get(String path, String fault) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://web" + path)).timeout(Duration.ofSeconds(10));
        if (fault != null) request.header("x-fault", fault);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Exchange last(String path) {
        var exchanges = mesh.journal().select(e -> e.path().equals(path));
        return exchanges.get(exchanges.size() - 1);
    }

    private static long served(String path) {
        Matcher m = Pattern.compile("url:" + Pattern.quote(path) + "$", Pattern.MULTILINE).matcher(web.getLogs());
        return m.results().count();
    }
}
