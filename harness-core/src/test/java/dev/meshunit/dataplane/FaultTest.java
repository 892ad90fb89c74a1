package dev.meshunit.dataplane;

import static dev.meshunit.testing.Configs.serviceEntry;
import static dev.meshunit.testing.Configs.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.MeshProxy;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.TestBackend;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fault filter: delays and aborts, their percentages, and their place before retries and timeouts. */
// Timing bounds (delays, timeouts) are asserted here: no other class may load the two cores meanwhile.
@org.junit.jupiter.api.parallel.Isolated
class FaultTest {
    static TestBackend ratings;
    static MeshProxy proxy;

    @BeforeAll
    static void start() {
        ratings = TestBackend.named("ratings");
        String vs = """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: ratings}
                spec:
                  hosts: [ratings]
                  http:
                  - name: delay
                    match: [{uri: {prefix: /delay}}]
                    fault: {delay: {fixedDelay: 200ms, percentage: {value: 100}}}
                    route: [{destination: {host: ratings}}]
                  - name: abort
                    match: [{uri: {prefix: /abort}}]
                    fault: {abort: {httpStatus: 503, percentage: {value: 100}}}
                    retries: {attempts: 3, retryOn: 5xx}
                    route: [{destination: {host: ratings}}]
                  - name: both
                    match: [{uri: {prefix: /both}}]
                    fault:
                      delay: {fixedDelay: 100ms, percentage: {value: 100}}
                      abort: {httpStatus: 500, percentage: {value: 100}}
                    route: [{destination: {host: ratings}}]
                  - name: half
                    match: [{uri: {prefix: /half}}]
                    fault: {abort: {httpStatus: 418, percentage: {value: 50}}}
                    route: [{destination: {host: ratings}}]
                  - name: never
                    match: [{uri: {prefix: /never}}]
                    fault: {abort: {httpStatus: 500}}
                    route: [{destination: {host: ratings}}]
                  - name: delay-then-timeout
                    match: [{uri: {prefix: /slow}}]
                    fault: {delay: {fixedDelay: 300ms, percentage: {value: 100}}}
                    timeout: 200ms
                    route: [{destination: {host: ratings}}]
                """;
        proxy = MeshProxy.builder().config(yaml(serviceEntry("ratings", ratings) + vs, ratings)).seed(3).start();
    }

    @AfterAll
    static void stop() {
        proxy.close();
        ratings.close();
    }

    private static Exchange last() {
        List<Exchange> all = proxy.journal().exchanges();
        return all.get(all.size() - 1);
    }

    @Test
    void delayOf200msIsObservedAndFlaggedDI() {
        // A first request pays for class loading and the first upstream connection; measure the second.
        try (RawHttp c = new RawHttp(proxy.port())) {
            assertThat(c.send("GET", "ratings:9080", "/never", null).status()).isEqualTo(200);
        }
        RawHttp.Response r = RawHttp.get(proxy.port(), "ratings:9080", "/delay");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.elapsedMs()).isGreaterThanOrEqualTo(200).isLessThan(260);
        Exchange e = proxy.journal().select(x -> x.path().equals("/delay")).get(0);
        assertThat(e.flags()).containsExactly(ResponseFlag.DI);
        assertThat(e.fault().delayMs()).isEqualTo(200);
        assertThat(e.durationMs()).isGreaterThanOrEqualTo(200);
    }

    @Test
    void abortAnswersItselfIsNeverRetriedAndNeverReachesTheBackend() {
        int before = ratings.count();
        RawHttp.Response r = RawHttp.get(proxy.port(), "ratings:9080", "/abort");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("fault filter abort");
        assertThat(ratings.count()).isEqualTo(before);
        Exchange e = last();
        assertThat(e.flags()).containsExactly(ResponseFlag.FI);
        assertThat(e.attempts()).isEmpty();
        assertThat(e.fault().abortStatus()).isEqualTo(503);
    }

    @Test
    void delayAndAbortTogether() {
        RawHttp.Response r = RawHttp.get(proxy.port(), "ratings:9080", "/both");
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.elapsedMs()).isGreaterThanOrEqualTo(100);
        assertThat(last().flags()).containsExactlyInAnyOrder(ResponseFlag.DI, ResponseFlag.FI);
    }

    @Test
    void percentageAppliesPerRequest() {
        int aborted = 0;
        try (RawHttp c = new RawHttp(proxy.port())) {
            for (int i = 0; i < 400; i++) {
                if (c.send("GET", "ratings:9080", "/half", null).status() == 418) aborted++;
            }
        }
        assertThat(aborted).isBetween(160, 240);
    }

    @Test
    void faultWithoutPercentageNeverFires() {
        assertThat(RawHttp.get(proxy.port(), "ratings:9080", "/never").status()).isEqualTo(200);
        assertThat(last().fault().any()).isFalse();
    }

    @Test
    void theDelayDoesNotCountAgainstTheRouteTimeout() {
        RawHttp.Response r = RawHttp.get(proxy.port(), "ratings:9080", "/slow");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.elapsedMs()).isGreaterThanOrEqualTo(300);
    }
}
