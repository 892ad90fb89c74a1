package dev.meshunit.admin;

import static dev.meshunit.admin.AdminFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code POST /config/apply} and {@code DELETE /config/KIND/NAME}: one resource at a time, as kubectl does. */
class AdminResourcesTest {
    private final AdminFixture f = new AdminFixture();

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void applyingOneVirtualServiceKeepsTheOtherResources() {
        assertThat(f.call("/").body()).isEqualTo("v1");
        HttpResponse<String> r = f.admin("POST", "/config/apply", AdminFixture.route("v2"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode done = json(r).get("resources").get(0);
        assertThat(done.get("kind").asText() + " " + done.get("name").asText() + " " + done.get("action").asText())
                .isEqualTo("VirtualService reviews configured");
        assertThat(f.call("/").body()).isEqualTo("v2");
        assertThat(f.proxy.config().destinationRules()).hasSize(1);
        assertThat(f.proxy.config().serviceEntries()).hasSize(1);

        HttpResponse<String> again = f.admin("POST", "/config/apply", AdminFixture.route("v2"));
        assertThat(json(again).get("resources").get(0).get("action").asText()).isEqualTo("unchanged");
    }

    @Test
    void aNewResourceMayUseSubsetsOfOneInForce() {
        HttpResponse<String> r = f.admin("POST", "/config/apply", """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews-canary}
                spec:
                  hosts: [reviews.canary]
                  http:
                  - route: [{destination: {host: reviews, subset: v2}}]
                """);
        assertThat(json(r).get("errors")).as(r.body()).isEmpty();
        assertThat(json(r).get("resources").get(0).get("action").asText()).isEqualTo("created");
        assertThat(f.proxy.config().virtualServices()).hasSize(2);
    }

    @Test
    void anUnknownSubsetIsRefusedWithItsLineAndTheOldConfigStays() {
        HttpResponse<String> r = f.admin("POST", "/config/apply", AdminFixture.route("v3"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("errors").get(0).asText())
                .startsWith("<request body>:").contains("v3").contains("IST0101");
        assertThat(f.call("/").body()).isEqualTo("v1");
    }

    @Test
    void deletingTheVirtualServiceFallsBackToDefaultRoutingAndUnknownNamesAreNamed() {
        HttpResponse<String> gone = f.admin("DELETE", "/config/vs/reviews", null);
        assertThat(gone.statusCode()).as(gone.body()).isEqualTo(200);
        assertThat(json(gone).get("resources").get(0).get("action").asText()).isEqualTo("deleted");
        assertThat(f.proxy.config().virtualServices()).isEmpty();
        assertThat(f.call("/").status()).isEqualTo(200);

        HttpResponse<String> missing = f.admin("DELETE", "/config/VirtualService/default/reviews", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).get("error").asText()).isEqualTo("no VirtualService default/reviews in force (in force: "
                + "ServiceEntry default/reviews, DestinationRule default/reviews)");
        HttpResponse<String> kind = f.admin("DELETE", "/config/gateway/x", null);
        assertThat(json(kind).get("error").asText()).startsWith("no such kind 'gateway'");
        assertThat(f.admin("GET", "/config/vs/reviews", null).statusCode()).isEqualTo(405);
    }

    @Test
    void deletingADestinationRuleWhoseSubsetsAreInUseIsRefused() {
        HttpResponse<String> r = f.admin("DELETE", "/config/destinationrule/reviews", null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("errors").toString()).contains("IST0101");
        assertThat(f.proxy.config().destinationRules()).hasSize(1);
    }
}
