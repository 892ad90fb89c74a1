package dev.meshunit.admin;

import static dev.meshunit.admin.AdminFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /faults}: the run-time fault overrides of {@code mesh.faults()}, driven over HTTP. */
class AdminFaultsTest {
    private final AdminFixture f = new AdminFixture();

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void anAbortAppliesAtOnceAndDeletingItRestoresTheRoute() {
        HttpResponse<String> added = f.admin("POST", "/faults", "{\"host\":\"reviews\",\"abort\":503}");
        assertThat(added.statusCode()).isEqualTo(201);
        String id = json(added).get("id").asText();
        assertThat(f.call("/a").status()).isEqualTo(503);
        assertThat(f.proxy.journal().exchanges().get(0).flags()).extracting(Enum::name).containsExactly("FI");
        assertThat(f.v1.count()).isZero();

        assertThat(f.admin("DELETE", "/faults/" + id, null).statusCode()).isEqualTo(204);
        assertThat(f.call("/b").status()).isEqualTo(200);
        assertThat(json(f.admin("GET", "/faults", null))).isEmpty();
        assertThat(f.admin("DELETE", "/faults/" + id, null).statusCode()).isEqualTo(404);
    }

    @Test
    void anHttpLevelFaultBreaksTheAnswerAndIsListedAsPosted() {
        HttpResponse<String> added = f.admin("POST", "/faults",
                "{\"host\":\"reviews\",\"http\":{\"kind\":\"truncated_body\",\"length\":100,\"bytes\":40},\"requests\":[1]}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        assertThat(json(added).get("http").toString()).isEqualTo("{\"kind\":\"truncated_body\",\"length\":100,\"bytes\":40}");
        try {
            f.call("/broken");
        } catch (RuntimeException truncated) {
            // the raw client may report the short body: what matters here is what the proxy did
        }
        assertThat(f.proxy.journal().exchanges().get(0).fault().http()).isEqualTo("truncated_body");
        assertThat(f.v1.count()).isZero();
        assertThat(f.call("/fine").status()).isEqualTo(200);

        HttpResponse<String> bad = f.admin("POST", "/faults", "{\"host\":\"reviews\",\"http\":{\"kind\":\"empty_response\",\"length\":3}}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("error").asText()).isEqualTo("http: empty_response takes no attribute, not length");
        HttpResponse<String> slow = f.admin("POST", "/faults",
                "{\"host\":\"reviews\",\"http\":{\"kind\":\"slow_body\",\"length\":4,\"bytes\":2,\"interval\":\"20ms\"}}");
        assertThat(json(slow).get("http").get("interval").asText()).isEqualTo("20ms");
    }

    @Test
    void requestCountsMatchesAndDelaysAreTheJavaApisOwn() {
        HttpResponse<String> r = f.admin("POST", "/faults", """
                [{"host":"reviews","subset":"v1","pathPrefix":"/slow","delay":"300ms"},
                 {"host":"reviews","header":{"name":"x-user","value":"jason"},"abort":500,"requests":[2,"4-5"]}]
                """);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(json(r)).hasSize(2);

        List<Integer> jason = new ArrayList<>();
        for (int i = 1; i <= 6; i++) jason.add(f.call("/p", "x-user: jason").status());
        assertThat(jason).containsExactly(200, 500, 200, 500, 500, 200);
        assertThat(f.call("/p", "x-user: other").status()).isEqualTo(200);

        // Lower bound only: the delay is scheduled on the proxy's wall clock, and the machine may be busy.
        assertThat(f.call("/slow/x").elapsedMs()).isGreaterThanOrEqualTo(300);
        assertThat(f.proxy.journal().exchanges().get(7).fault().delayMs()).isEqualTo(300);

        JsonNode listed = json(f.admin("GET", "/faults", null));
        assertThat(listed.get(0).get("delay").asText()).isEqualTo("300ms");
        assertThat(listed.get(0).get("subset").asText()).isEqualTo("v1");
        assertThat(listed.get(1).get("header").asText()).isEqualTo("x-user=jason");
        assertThat(listed.get(1).get("requests").toString()).isEqualTo("[\"2\",\"4-5\"]");
        assertThat(f.admin("DELETE", "/faults", null).statusCode()).isEqualTo(204);
        assertThat(f.proxy.faults().isEmpty()).isTrue();
    }

    @Test
    void aGrpcStatusAbortAnswersTrailersOnlyWithTheStatusCode() {
        HttpResponse<String> added = f.admin("POST", "/faults", "{\"host\":\"reviews\",\"grpcStatus\":\"UNAVAILABLE\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        var answer = f.call("/a");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("grpc-status")).isEqualTo("14");
        assertThat(f.proxy.journal().exchanges().get(0).grpcStatusName()).isEqualTo("UNAVAILABLE");
        assertThat(json(f.admin("GET", "/faults", null)).get(0).get("grpcStatus").asText()).isEqualTo("UNAVAILABLE");
    }

    @Test
    void firstAttemptsOfEachCallFailSoThatARetryRecovers() {
        f.admin("POST", "/faults", "{\"host\":\"reviews\",\"abort\":503,\"firstAttempts\":2,\"callKey\":\"header:idempotency-key\"}");
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) statuses.add(f.call("/order", "idempotency-key: A").status());
        statuses.add(f.call("/order", "idempotency-key: B").status());
        assertThat(statuses).containsExactly(503, 503, 200, 503);
        assertThat(json(f.admin("GET", "/faults", null)).get(0).get("callKey").asText()).isEqualTo("header:idempotency-key");
    }

    @Test
    void aSeededPercentageHitsSomeRequestsNotAll() {
        f.admin("POST", "/faults", "{\"host\":\"reviews\",\"abort\":503,\"percentage\":{\"value\":50}}");
        int aborted = 0;
        for (int i = 0; i < 40; i++) if (f.call("/p").status() == 503) aborted++;
        assertThat(aborted).isBetween(5, 35);
    }

    @Test
    void badFaultsAreRefusedNamingTheFieldAndWhatIsAllowed() {
        assertThat(error("{\"host\":\"reviews\",\"abort\":503,\"percent\":5}"))
                .startsWith("unknown field 'percent' (allowed: abort, callKey, delay, firstAttempts, grpcStatus, header, host, http, pathPrefix,");
        assertThat(error("{\"host\":\"reviews\"}")).isEqualTo("give delay, abort or both (or alone grpcStatus or http)");
        assertThat(error("{\"abort\":503}")).isEqualTo("host: required");
        assertThat(error("{\"host\":\"reviews\",\"delay\":\"2 seconds\"}")).startsWith("delay: invalid duration \"2 seconds\"");
        assertThat(error("{\"host\":\"reviews\",\"abort\":99}")).contains("abort status must be 200-599 (was 99)");
        assertThat(error("[{\"host\":\"reviews\",\"abort\":503},{\"host\":\"reviews\",\"abort\":503,\"requests\":[\"x\"]}]"))
                .isEqualTo("[1]: requests: 'x' is neither a number nor \"first-last\"");
        assertThat(error("{\"host\":\"reviews\",\"grpcStatus\":\"NOPE\"}")).contains("unknown grpcStatus \"NOPE\"; allowed: OK, CANCELLED");
        assertThat(error("{\"host\":\"reviews\",\"grpcStatus\":\"UNAVAILABLE\",\"abort\":503}"))
                .isEqualTo("grpcStatus: give it alone, without abort or delay");
        assertThat(error("not json")).startsWith("body is not JSON");
        assertThat(f.proxy.faults().isEmpty()).as("nothing added when one of a list is bad").isTrue();
        assertThat(f.admin("PUT", "/faults", "{}").headers().firstValue("allow")).hasValue("GET, POST, DELETE");
    }

    private String error(String body) {
        HttpResponse<String> r = f.admin("POST", "/faults", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        return json(r).get("error").asText();
    }
}
