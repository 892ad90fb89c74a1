package dev.meshunit.chaos.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshunit.MeshProxy;
import dev.meshunit.admin.AdminServer;
import dev.meshunit.chaos.ToxicProxyServer;
import dev.meshunit.chaos.ToxiproxyApiServer;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.journal.Exchange;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.TestBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scenario of the library, one test each (the library is the JUnit source), played with short durations
 * against a running proxy, its admin API and its Toxiproxy API: while each step holds, what it set is in force
 * and a request shows it; afterwards nothing is left.
 */
class ScenarioLibraryTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestBackend ratings;
    private static MeshProxy proxy;
    private static AdminServer admin;
    private static ToxicProxyServer toxics;
    private static ToxiproxyApiServer toxiApi;

    @BeforeAll
    static void start() {
        ratings = TestBackend.named("ratings");
        proxy = MeshProxy.builder().seed(5).config(ConfigLoader.create().loadString("ratings.yaml", """
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
                  http: [{retries: {attempts: 0}, route: [{destination: {host: ratings}}]}]
                """.formatted(ratings.port())).orThrow()).start();
        admin = AdminServer.builder(proxy).start();
        toxics = ToxicProxyServer.builder().seed(5).build();
        toxiApi = ToxiproxyApiServer.start(0, toxics);
        call(toxiUri().resolve("/proxies"), "POST", "{\"name\":\"redis\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:" + ratings.port() + "\"}");
    }

    @AfterAll
    static void stop() {
        toxiApi.close();
        toxics.close();
        admin.close();
        proxy.close();
        ratings.close();
    }

    private static URI adminUri() {
        return URI.create("http://127.0.0.1:" + admin.port());
    }

    private static URI toxiUri() {
        return URI.create("http://127.0.0.1:" + toxiApi.port());
    }

    static String call(URI uri, String method, String body) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every duration short, so that the whole library plays in a few seconds. */
    private static Scenario quick(Scenario s) {
        for (String p : s.parameters().keySet()) {
            switch (p) {
                case "duration", "period", "step" -> s = s.with(p, "300ms");
                case "delay", "hold" -> s = s.with(p, "100ms");
                case "cycles" -> s = s.with(p, "2");
                case "steps" -> s = s.with(p, "50,100");
                default -> { }
            }
        }
        return s;
    }

    @ParameterizedTest
    @MethodSource("dev.meshunit.chaos.scenarios.Scenarios#all")
    void playsAndLeavesNothingBehind(Scenario scenario) {
        List<String> seen = new ArrayList<>();
        ChaosTarget http = ChaosTarget.http(adminUri(), toxiUri());
        ChaosTarget watching = new ChaosTarget() {
            @Override
            public void call(Step step) {
                http.call(step);
            }

            @Override
            public void hold(Step step) {
                if (step.api() == Step.Api.ADMIN && step.method().equals("POST")) {
                    proxy.journal().reset();
                    for (int i = 0; i < 4; i++) RawHttp.get(proxy.port(), "ratings:9080", "/r");
                    for (Exchange e : proxy.journal().exchanges()) seen.addAll(e.flags().stream().map(Enum::name).toList());
                } else if (step.api() == Step.Api.TOXIPROXY) {
                    seen.add(ScenarioLibraryTest.call(toxiUri().resolve("/proxies/redis/toxics"), "GET", null));
                }
                ChaosTarget.super.hold(step);
            }
        };
        quick(scenario).play(watching);

        if (scenario.parameters().containsKey("host")) {
            assertThat(seen).as("flags while it held").containsAnyOf("FI", "DI");
        } else {
            assertThat(seen).as("toxics while it held").anyMatch(s -> s.contains("\"type\""));
        }
        assertThat(proxy.faults().isEmpty()).isTrue();
        assertThat(call(toxiUri().resolve("/proxies/redis/toxics"), "GET", null).strip()).isEqualTo("[]");
    }

    @Test
    void badParametersAreNamed() {
        assertThatThrownBy(() -> Scenarios.named("slow-dependency").with("dealy", "1s"))
                .hasMessage("scenario slow-dependency has no parameter 'dealy' (parameters: delay, duration, host, percentage)");
        assertThatThrownBy(() -> Scenarios.named("partition").with("mode", "cut"))
                .hasMessage("scenario partition: mode must be reset or timeout, was 'cut'");
        assertThatThrownBy(() -> Scenarios.named("flapping").with("period", "soon"))
                .hasMessage("scenario flapping: period must be a duration such as 30s or 500ms, was 'soon'");
        assertThatThrownBy(() -> Scenarios.named("nothing")).hasMessageStartingWith("no scenario 'nothing' (scenarios: slow-dependency, ");
        assertThat(Scenarios.all()).extracting(Scenario::name).containsExactly("slow-dependency", "failing-dependency",
                "flapping", "brown-out-ramp", "partition", "bandwidth-starvation", "pool-exhaustion", "retry-storm");
        assertThat(Set.copyOf(Scenarios.all())).hasSize(8);
    }
}
