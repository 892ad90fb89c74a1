package dev.meshunit.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The wire contract of TOXIPROXY-API.md, checked with raw HTTP: statuses, shapes, defaults and error bodies. */
@ExtendWith(NettyLeakCheck.class)
class ToxiproxyHttpApiTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private ToxicProxyServer proxies;
    private ToxiproxyApiServer api;
    private TestServers.Upstream upstream;

    @BeforeEach
    void start() {
        proxies = ToxicProxyServer.create();
        api = ToxiproxyApiServer.start(new InetSocketAddress("127.0.0.1", 0), proxies);
        upstream = TestServers.echo();
    }

    @AfterEach
    void stop() throws IOException {
        api.close();
        proxies.close();
        upstream.close();
    }

    private record Answer(int status, String body, String contentType) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private Answer call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/x-www-form-urlencoded");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(),
                response.headers().firstValue("Content-Type").orElse(""));
    }

    private JsonNode json(String text) throws IOException {
        return mapper.readTree(text);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private String createProxy(String name) throws Exception {
        Answer created = call("POST", "/proxies",
                "{\"name\":\"" + name + "\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"" + upstream.address() + "\"}");
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("listen").asText();
    }

    @Test
    void versionIsJson() throws Exception {
        Answer version = call("GET", "/version", null);
        assertThat(version.status()).isEqualTo(200);
        assertThat(version.body()).isEqualTo("{\"version\": \"2.12.0\"}\n");
        assertThat(version.contentType()).startsWith("application/json");
    }

    @Test
    void proxyShapeAndStatuses() throws Exception {
        String listen = createProxy("p");
        Answer got = call("GET", "/proxies/p", null);
        assertThat(got.status()).isEqualTo(200);
        assertThat(fieldNames(got.json())).containsExactly("name", "listen", "upstream", "enabled", "toxics");
        assertThat(got.json()).isEqualTo(json("{\"name\":\"p\",\"listen\":\"" + listen + "\",\"upstream\":\""
                + upstream.address() + "\",\"enabled\":true,\"toxics\":[]}"));
        assertThat(call("GET", "/proxies", null).json().fieldNames().next()).isEqualTo("p");

        Answer disabled = call("PATCH", "/proxies/p", "{\"enabled\":false}");
        assertThat(disabled.json().get("enabled").asBoolean()).isFalse();
        assertThat(disabled.json().get("listen").asText()).isEqualTo(listen);
        assertThat(call("POST", "/reset", null).status()).isEqualTo(204);
        assertThat(call("GET", "/proxies/p", null).json().get("enabled").asBoolean()).isTrue();

        assertThat(call("DELETE", "/proxies/p", null).status()).isEqualTo(204);
        assertThat(call("DELETE", "/proxies/p", null).json()).isEqualTo(json("{\"error\":\"proxy not found\",\"status\":404}"));
    }

    @Test
    void errorBodiesAreJsonWithErrorAndStatus() throws Exception {
        createProxy("p");
        assertThat(call("POST", "/proxies", "{\"name\":\"x\"}").json())
                .isEqualTo(json("{\"error\":\"missing required field: upstream\",\"status\":400}"));
        assertThat(call("POST", "/proxies", "{\"upstream\":\"a:1\"}").json())
                .isEqualTo(json("{\"error\":\"missing required field: name\",\"status\":400}"));
        Answer badBody = call("POST", "/proxies", "{nope");
        assertThat(badBody.status()).isEqualTo(400);
        assertThat(badBody.json().get("error").asText()).startsWith("bad request body: ");
        assertThat(call("POST", "/proxies", "{\"name\":\"p\",\"upstream\":\"a:1\",\"listen\":\"127.0.0.1:0\"}").json())
                .isEqualTo(json("{\"error\":\"proxy already exists\",\"status\":409}"));
        assertThat(call("POST", "/proxies/p/toxics", "{\"type\":\"noise\"}").json())
                .isEqualTo(json("{\"error\":\"invalid toxic type\",\"status\":400}"));
        assertThat(call("POST", "/proxies/p/toxics", "{\"type\":\"latency\",\"stream\":\"sideways\"}").json())
                .isEqualTo(json("{\"error\":\"stream was invalid, can be either upstream or downstream\",\"status\":400}"));
        assertThat(call("GET", "/proxies/p/toxics/none", null).json())
                .isEqualTo(json("{\"error\":\"toxic not found\",\"status\":404}"));
        assertThat(call("GET", "/nowhere", null).json())
                .isEqualTo(json("{\"error\":\"404 page not found\",\"status\":404}"));
        assertThat(call("PUT", "/proxies", "{}").status()).isEqualTo(405);
        assertThat(call("PUT", "/proxies", "{}").json().get("status").asInt()).isEqualTo(405);
    }

    @Test
    void toxicDefaultsAndMergingUpdates() throws Exception {
        createProxy("p");
        Answer created = call("POST", "/proxies/p/toxics", "{\"type\":\"latency\"}");
        assertThat(created.status()).isEqualTo(200);
        assertThat(fieldNames(created.json())).containsExactly("attributes", "name", "type", "stream", "toxicity");
        assertThat(created.json()).isEqualTo(json("{\"attributes\":{\"latency\":0,\"jitter\":0},"
                + "\"name\":\"latency_downstream\",\"type\":\"latency\",\"stream\":\"downstream\",\"toxicity\":1}"));

        call("PATCH", "/proxies/p/toxics/latency_downstream", "{\"attributes\":{\"latency\":100,\"jitter\":10}}");
        call("POST", "/proxies/p/toxics/latency_downstream", "{\"attributes\":{\"latency\":1000},\"toxicity\":0.5}");
        Answer updated = call("POST", "/proxies/p/toxics/latency_downstream", "{\"attributes\":{\"unknown\":3}}");
        assertThat(updated.json()).isEqualTo(json("{\"attributes\":{\"latency\":1000,\"jitter\":10},"
                + "\"name\":\"latency_downstream\",\"type\":\"latency\",\"stream\":\"downstream\",\"toxicity\":0.5}"));

        call("POST", "/proxies/p/toxics", "{\"type\":\"slicer\",\"stream\":\"UPSTREAM\",\"name\":\"s\"}");
        Answer list = call("GET", "/proxies/p/toxics", null);
        assertThat(list.json().get(0)).isEqualTo(json("{\"attributes\":{\"average_size\":0,\"size_variation\":0,"
                + "\"delay\":0},\"name\":\"s\",\"type\":\"slicer\",\"stream\":\"upstream\",\"toxicity\":1}"));
        assertThat(list.json().get(1).get("name").asText()).isEqualTo("latency_downstream");
        assertThat(call("POST", "/proxies/p/toxics", "{\"type\":\"timeout\",\"name\":\"s\"}").status()).isEqualTo(409);

        assertThat(call("DELETE", "/proxies/p/toxics/s", null).status()).isEqualTo(204);
        assertThat(call("DELETE", "/proxies/p/toxics/s", null).status()).isEqualTo(404);
    }

    @Test
    void aBodyPastOneMebibyteIsAnswered413InToxiproxysErrorShapeAndTheServerGoesOn() throws Exception {
        Answer refused = call("POST", "/populate", "[" + " ".repeat(2 * 1024 * 1024) + "]");
        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.json()).isEqualTo(json("{\"error\":\"request body over 1048576 bytes\",\"status\":413}"));
        assertThat(call("GET", "/proxies", null).status()).isEqualTo(200);
    }

    @Test
    void populateCreatesKeepsAndReplaces() throws Exception {
        createProxy("kept");
        String keptUpstream = upstream.address();
        Answer populated = call("POST", "/populate", "[{\"name\":\"kept\",\"upstream\":\"" + keptUpstream
                + "\"},{\"name\":\"new\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:1\",\"enabled\":false}]");
        assertThat(populated.status()).isEqualTo(201);
        assertThat(populated.json().get("proxies")).extracting(p -> p.get("name").asText()).containsExactly("kept", "new");
        assertThat(call("GET", "/proxies/new", null).json().get("enabled").asBoolean()).isFalse();

        Answer invalid = call("POST", "/populate", "[{\"name\":\"a\",\"upstream\":\"b:1\"},{\"upstream\":\"b:1\"}]");
        assertThat(invalid.json()).isEqualTo(
                json("{\"error\":\"missing required field: name at proxy 2\",\"status\":400,\"proxies\":null}"));
        assertThat(call("GET", "/proxies/a", null).status()).isEqualTo(404);
    }

    @Test
    void journalEndpointListsConnections() throws Exception {
        String listen = createProxy("j");
        try (Socket socket = new Socket("127.0.0.1", Integer.parseInt(listen.split(":")[1]))) {
            socket.getOutputStream().write("abc".getBytes());
            assertThat(socket.getInputStream().readNBytes(3)).hasSize(3);
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode journal = call("GET", "/meshunit/journal", null).json();
            assertThat(journal).hasSize(1);
            JsonNode connection = journal.get(0);
            assertThat(connection.get("proxy").asText()).isEqualTo("j");
            assertThat(connection.get("bytes_up").asLong()).isEqualTo(3);
            assertThat(connection.get("bytes_down").asLong()).isEqualTo(3);
            assertThat(connection.get("end_reason").asText()).isEqualTo("client_closed");
        });
    }
}
