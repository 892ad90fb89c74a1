package dev.meshunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.journal.Attempt;
import dev.meshunit.journal.DestinationRef;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.InjectedFault;
import dev.meshunit.journal.Journal;
import dev.meshunit.journal.JournalWriter;
import dev.meshunit.journal.OutlierEvent;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.journal.RouteRef;
import dev.meshunit.journal.ShadowExchange;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The timeline page renders in headless Chromium without script errors, with one mark per recorded fact. */
class TimelineTest {
    static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    static final DestinationRef RATINGS = new DestinationRef("ratings.default.svc.cluster.local", "v1", 9080);
    static final RouteRef ROUTE = new RouteRef("ratings", "default", 0, "http[0]");

    @TempDir
    Path dir;

    static Exchange exchange(long id, long atMs, String path, List<Attempt> attempts, InjectedFault fault, int status,
            Set<ResponseFlag> flags, double ms) {
        return new Exchange(id, T0.plusMillis(atMs), "test", "GET", "ratings:9080", path,
                Map.of("x-note", List.of("</script><b>not markup</b>")), ROUTE, RATINGS, attempts, fault, status, flags, ms);
    }

    /** Every kind of mark: three attempts with back-off, a delayed request, an abort, a shadow, an ejection. */
    static Journal everything() {
        JournalWriter j = new JournalWriter(100, 42);
        j.record(exchange(1, 0, "/ratings/1", List.of(
                new Attempt(1, "127.0.0.1:1001", 503, null, Set.of(), 5),
                new Attempt(2, "127.0.0.1:1002", 0, "connection reset", Set.of(ResponseFlag.UC), 3),
                new Attempt(3, "127.0.0.1:1001", 200, null, Set.of(), 4)), InjectedFault.NONE, 200, Set.of(), 60));
        j.record(exchange(2, 70, "/ratings/2", List.of(new Attempt(1, "127.0.0.1:1001", 200, null, Set.of(), 4)),
                new InjectedFault(50, 0), 200, Set.of(ResponseFlag.DI), 55));
        j.record(exchange(3, 130, "/ratings/3", List.of(), new InjectedFault(0, 503), 503, Set.of(ResponseFlag.FI), 0.4));
        j.recordShadow(new ShadowExchange(2, T0.plusMillis(121), "GET", "ratings-shadow:9080", "/ratings/2",
                new DestinationRef("ratings.default.svc.cluster.local", "v2", 9080), "127.0.0.1:1003", 200, null, Set.of(), 3, null));
        j.recordEvent(new OutlierEvent.Ejected("127.0.0.1:1001", "outbound|9080|v1|ratings.default.svc.cluster.local",
                T0.plusMillis(10), "consecutive_5xx", 1, T0.plusMillis(30_010)));
        return j.journal();
    }

    @Test
    void rendersEveryKindOfMarkWithoutScriptErrors() throws Exception {
        Path file = Files.writeString(dir.resolve(MeshTimeline.FILE), MeshTimeline.html("ratings <retries>", everything()),
                StandardCharsets.UTF_8);

        HeadlessChromium.Page page = HeadlessChromium.open(file);

        assertThat(page.console()).doesNotContainIgnoringCase("uncaught").doesNotContain("CONSOLE");
        assertThat(page.dom()).contains("data-status=\"ok\"").doesNotContain("<p class=\"error-box\"");
        assertThat(attribute(page.dom(), "exchange")).isEqualTo(3);
        assertThat(attribute(page.dom(), "attempt")).isEqualTo(4);
        assertThat(attribute(page.dom(), "backoff")).isEqualTo(2);
        assertThat(attribute(page.dom(), "delay")).isEqualTo(1);
        assertThat(attribute(page.dom(), "abort")).isEqualTo(1);
        assertThat(attribute(page.dom(), "shadow")).isEqualTo(1);
        assertThat(attribute(page.dom(), "ejection")).isEqualTo(1);
        assertThat(page.dom()).contains("class=\"lane-label\"", ">ratings<", ">ratings (shadow)<",
                "ratings &lt;retries&gt;", "3 exchanges, 1 shadows, 1 outlier events over 130.4 ms; seed 42");
        assertThat(page.dom()).as("header values stay data").doesNotContain("<b>not markup</b>");
    }

    /** A real proxy's journal: a 503 retried twice with back-off, and the request mirrored. */
    @Test
    void rendersARealProxysRetriesAndShadow() throws Exception {
        com.sun.net.httpserver.HttpServer failing = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        failing.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(503, -1);
            ex.close();
        });
        failing.start();
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: ratings}
                spec:
                  hosts: [ratings]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 9080, name: http, protocol: HTTP}]
                  endpoints: [{address: 127.0.0.1, ports: {http: %d}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: ratings}
                spec:
                  hosts: [ratings]
                  http:
                  - route: [{destination: {host: ratings}}]
                    retries: {attempts: 2, retryOn: 5xx}
                    mirror: {host: ratings}
                """.formatted(failing.getAddress().getPort());
        try (dev.meshunit.MeshProxy proxy = dev.meshunit.MeshProxy.builder()
                .config(dev.meshunit.config.load.ConfigLoader.create().loadString("ratings.yaml", yaml).orThrow()).start()) {
            java.net.http.HttpClient.newBuilder().proxy(java.net.ProxySelector.of(proxy.address())).build()
                    .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://ratings:9080/ratings/1")).build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding());
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> proxy.journal().shadows().all().size() == 1);
            Path file = Files.writeString(dir.resolve("real.html"), MeshTimeline.html("real", proxy.journal()));

            HeadlessChromium.Page page = HeadlessChromium.open(file);

            assertThat(page.console()).doesNotContainIgnoringCase("uncaught");
            assertThat(page.dom()).contains("data-status=\"ok\"", "&gt; 503 URX");
            assertThat(attribute(page.dom(), "attempt")).isEqualTo(3);
            assertThat(attribute(page.dom(), "backoff")).isEqualTo(2);
            assertThat(attribute(page.dom(), "shadow")).isEqualTo(1);
        } finally {
            failing.stop(0);
        }
    }

    @Test
    void anEmptyJournalRendersToo() throws Exception {
        Path file = Files.writeString(dir.resolve("empty.html"), MeshTimeline.html("nothing", new JournalWriter(10, 1).journal()));
        HeadlessChromium.Page page = HeadlessChromium.open(file);
        assertThat(page.dom()).contains("data-status=\"ok\"", "0 exchanges");
        assertThat(page.console()).doesNotContainIgnoringCase("uncaught");
    }

    /** The page really is checked: a broken script is caught, so the checks above can fail. */
    @Test
    void aScriptErrorIsSeen() throws Exception {
        String broken = MeshTimeline.html("broken", everything()).replace("var ex = data.exchanges", "var ex = data.nothing.exchanges");
        HeadlessChromium.Page page = HeadlessChromium.open(Files.writeString(dir.resolve("broken.html"), broken));
        assertThat(page.dom()).doesNotContain("data-status=\"ok\"").contains("<p class=\"error-box\">timeline failed: ");
        assertThat(page.console()).containsIgnoringCase("uncaught");
    }

    static int attribute(String dom, String name) {
        Matcher m = Pattern.compile("data-" + name + "=\"(\\d+)\"").matcher(dom);
        assertThat(m.find()).as("data-" + name + " on the svg").isTrue();
        return Integer.parseInt(m.group(1));
    }
}
