package dev.meshunit.dataplane;

import static dev.meshunit.testing.Configs.serviceEntry;
import static dev.meshunit.testing.Configs.subsets;
import static dev.meshunit.testing.Configs.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.journal.ShadowExchange;
import dev.meshunit.testing.NoLeaks;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.TestBackend;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Istio's mirror semantics: -shadow host after rewrites, same body, once per request, percentages, bounds. */
@ExtendWith(NoLeaks.class)
class MirrorTest {
    TestBackend v1;
    TestBackend v2;
    TestBackend v3;

    @BeforeEach
    void start() {
        v1 = TestBackend.named("v1");
        v2 = TestBackend.named("v2");
        v3 = TestBackend.named("v3");
    }

    @AfterEach
    void stop() {
        v1.close();
        v2.close();
        v3.close();
    }

    private IstioConfig config(String routeFields) {
        return yaml(serviceEntry("reviews", v1, v2, v3) + subsets("reviews", "v1", "v2", "v3", "none") + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - route: [{destination: {host: reviews, subset: v1}}]
                """ + routeFields.strip().indent(4), v1, v2, v3);
    }

    private static void awaitShadows(MeshProxy proxy, int n) {
        await().atMost(Duration.ofSeconds(20)).until(() -> proxy.shadowsInFlight() == 0
                && proxy.journal().shadows().all().size() >= n);
    }

    @Test
    void everyRequestReachesTheShadowWithTheShadowHostAndTheSameBody() {
        try (MeshProxy proxy = MeshProxy.builder().config(config("mirror: {host: reviews, subset: v2}")).start();
             RawHttp c = new RawHttp(proxy.port())) {
            for (int i = 0; i < 20; i++) {
                RawHttp.Response r = c.send("POST", "reviews:9080", "/r/" + i + "?q=" + i, "body-" + i,
                        "Content-Type: text/plain");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("v1");
            }
            awaitShadows(proxy, 20);
            assertThat(v1.count()).isEqualTo(20);
            assertThat(v2.received()).hasSize(20).allSatisfy(r -> {
                assertThat(r.header("host")).isEqualTo("reviews-shadow:9080");
                assertThat(r.method()).isEqualTo("POST");
                assertThat(r.body()).isEqualTo("body-" + r.path().substring(3, r.path().indexOf('?')));
            });
            assertThat(v3.count()).isZero();
            List<Exchange> primaries = proxy.journal().exchanges();
            List<ShadowExchange> shadows = proxy.journal().shadows().all();
            assertThat(primaries).extracting(Exchange::subset).containsOnly("v1");
            assertThat(shadows).extracting(ShadowExchange::primaryId)
                    .containsExactlyInAnyOrderElementsOf(primaries.stream().map(Exchange::id).toList());
            ShadowExchange first = proxy.journal().shadows().of(primaries.get(0).id()).get(0);
            assertThat(first.authority()).isEqualTo("reviews-shadow:9080");
            assertThat(first.path()).isEqualTo("/r/0?q=0");
            assertThat(first.subset()).isEqualTo("v2");
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.response().header("x-backend")).isEqualTo("v2");
            assertThat(first.response().body()).as("bodies are kept only with recordBodies").isEmpty();
            assertThat(first.response().bodyBytes()).isEqualTo(2);
        }
    }

    @Test
    void theShadowHostIsTakenAfterTheAuthorityRewrite() {
        try (MeshProxy proxy = MeshProxy.builder().config(config("""
                rewrite: {authority: "ratings:1234"}
                mirror: {host: reviews, subset: v2}
                """)).start()) {
            assertThat(RawHttp.get(proxy.port(), "reviews:9080", "/").status()).isEqualTo(200);
            awaitShadows(proxy, 1);
            assertThat(v1.received().get(0).header("host")).isEqualTo("ratings:1234");
            assertThat(v2.received().get(0).header("host")).isEqualTo("ratings-shadow:1234");
        }
    }

    @Test
    void aRetriedRequestIsMirroredOnce() {
        v1.script(n -> n == 1 ? TestBackend.Reply.status(503) : TestBackend.Reply.ok("v1"));
        try (MeshProxy proxy = MeshProxy.builder().config(config("""
                retries: {attempts: 2, retryOn: 5xx}
                mirror: {host: reviews, subset: v2}
                """)).start()) {
            assertThat(RawHttp.get(proxy.port(), "reviews:9080", "/").status()).isEqualTo(200);
            awaitShadows(proxy, 1);
            assertThat(v1.count()).isEqualTo(2);
            assertThat(v2.count()).isEqualTo(1);
            assertThat(proxy.journal().shadows().all()).hasSize(1);
        }
    }

    @Test
    void mirrorsSendOneCopyPerTargetAndZeroPercentSendsNone() {
        try (MeshProxy proxy = MeshProxy.builder().config(config("""
                mirrors:
                - {destination: {host: reviews, subset: v2}}
                - {destination: {host: reviews, subset: v3}, percentage: {value: 0}}
                """)).start()) {
            for (int i = 0; i < 5; i++) assertThat(RawHttp.get(proxy.port(), "reviews:9080", "/").status()).isEqualTo(200);
            awaitShadows(proxy, 5);
            assertThat(v2.count()).isEqualTo(5);
            assertThat(v3.count()).isZero();
        }
        try (MeshProxy proxy = MeshProxy.builder().config(config("""
                mirrors:
                - {destination: {host: reviews, subset: v2}}
                - {destination: {host: reviews, subset: v3}}
                """)).start()) {
            assertThat(RawHttp.get(proxy.port(), "reviews:9080", "/").status()).isEqualTo(200);
            awaitShadows(proxy, 2);
            assertThat(proxy.journal().shadows().all()).extracting(ShadowExchange::subset)
                    .containsExactlyInAnyOrder("v2", "v3");
        }
    }

    @Test
    void aBodyOverTheMirrorBoundIsNotMirroredAndTheJournalSaysWhy() {
        try (MeshProxy proxy = MeshProxy.builder().config(config("mirror: {host: reviews, subset: v2}"))
                .mirrorLimits(16, 10, Duration.ofSeconds(5)).start();
             RawHttp c = new RawHttp(proxy.port())) {
            assertThat(c.send("POST", "reviews:9080", "/big", "x".repeat(100)).status()).isEqualTo(200);
            assertThat(c.send("POST", "reviews:9080", "/small", "x".repeat(16)).status()).isEqualTo(200);
            awaitShadows(proxy, 2);
            assertThat(v1.count()).isEqualTo(2);
            assertThat(v2.received()).extracting(TestBackend.Received::path).containsExactly("/small");
            ShadowExchange dropped = proxy.journal().shadows().all().stream()
                    .filter(s -> s.path().equals("/big")).findFirst().orElseThrow();
            assertThat(dropped.sent()).isFalse();
            assertThat(dropped.note()).contains("over 16 bytes");
        }
    }

    @Test
    void aBodyLargerThanTheRetryBufferStreamsToThePrimaryAndIsCopiedWholeToTheShadow() {
        String big = "0123456789abcdef".repeat(64 * 1024 * 2); // 2 MiB: past the 1 MiB retry buffer
        try (MeshProxy proxy = MeshProxy.builder().config(config("mirror: {host: reviews, subset: v2}"))
                .mirrorLimits(4 * 1024 * 1024, 10, Duration.ofSeconds(10)).start();
             RawHttp c = new RawHttp(proxy.port())) {
            assertThat(c.send("POST", "reviews:9080", "/big", big).status()).isEqualTo(200);
            awaitShadows(proxy, 1);
            assertThat(v1.received().get(0).body()).isEqualTo(big);
            assertThat(v2.received().get(0).body()).isEqualTo(big);
            assertThat(v2.received().get(0).header("content-length")).isEqualTo(Integer.toString(big.length()));
        }
    }

    @Test
    void aShadowWithoutEndpointsIsJournalledAndThePrimaryIsServed() {
        try (MeshProxy proxy = MeshProxy.builder().config(config("mirror: {host: reviews, subset: none}")).start()) {
            assertThat(RawHttp.get(proxy.port(), "reviews:9080", "/").status()).isEqualTo(200);
            awaitShadows(proxy, 1);
            assertThat(proxy.journal().shadows().all().get(0).flags()).containsExactly(ResponseFlag.UH);
        }
    }

    @Test
    void recordBodiesKeepsThePrimaryAndTheShadowAnswers() {
        try (MeshProxy proxy = MeshProxy.builder().config(config("mirror: {host: reviews, subset: v2}"))
                .recordBodies(1).start()) {
            assertThat(RawHttp.get(proxy.port(), "reviews:9080", "/").status()).isEqualTo(200);
            awaitShadows(proxy, 1);
            long id = proxy.journal().exchanges().get(0).id();
            assertThat(proxy.journal().shadows().primary(id).bodyText()).isEqualTo("v");
            assertThat(proxy.journal().shadows().primary(id).truncated()).isTrue();
            assertThat(proxy.journal().shadows().of(id).get(0).response().bodyText()).isEqualTo("v");
        }
    }

    /** Istio's 25% over 1,000 requests: within three points, the same requests under the same seed. */
    @Test
    void aQuarterIsMirroredReproduciblyUnderASeed() {
        String mirror = "mirror: {host: reviews, subset: v2}\nmirrorPercentage: {value: 25}";
        Set<Long> first = mirroredIds(config(mirror), 7, 1000);
        System.out.println("[MirrorTest] mirrorPercentage 25, seed 7: " + first.size() + " of 1000 mirrored");
        assertThat(first.size()).isBetween(220, 280);
        assertThat(mirroredIds(config(mirror), 7, 1000)).isEqualTo(first);
        assertThat(mirroredIds(config(mirror), 8, 1000)).isNotEqualTo(first);
    }

    @Test
    void theLegacyMirrorPercentIsHonoured() {
        assertThat(mirroredIds(config("mirror: {host: reviews, subset: v2}\nmirrorPercent: 0"), 7, 20)).isEmpty();
    }

    private static Set<Long> mirroredIds(IstioConfig config, long seed, int n) {
        try (MeshProxy proxy = MeshProxy.builder().config(config).seed(seed).start();
             RawHttp c = new RawHttp(proxy.port())) {
            for (int i = 0; i < n; i++) assertThat(c.send("GET", "reviews:9080", "/", null).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> proxy.shadowsInFlight() == 0);
            return proxy.journal().shadows().all().stream().map(ShadowExchange::primaryId).collect(Collectors.toSet());
        }
    }
}
