package dev.meshunit.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.MeshProxy;
import dev.meshunit.fault.CallKey;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.InjectedFault;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.OneService;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.TestBackend;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Test-time faults go through the fault filter: journalled as DI/FI like YAML faults, and before them. */
class FaultOverrideTest {
    private final TestBackend svc = TestBackend.named("svc");
    private MeshProxy proxy;

    @AfterEach
    void stop() {
        if (proxy != null) proxy.close();
        svc.close();
    }

    private MeshProxy start(String routeFields) {
        proxy = MeshProxy.builder().config(OneService.config(svc.port(), routeFields)).ioThreads(1).start();
        return proxy;
    }

    private int get(String path, String... headers) {
        return RawHttp.get(proxy.port(), OneService.AUTHORITY, path, headers).status();
    }

    @Test
    void abortOverrideIsJournalledLikeAYamlAbort() {
        start("").faults().abort("svc", 503).requests(2);
        List<Integer> statuses = IntStream.range(0, 3).mapToObj(i -> get("/")).toList();
        assertThat(statuses).containsExactly(200, 503, 200);
        Exchange aborted = proxy.journal().exchanges().get(1);
        assertThat(aborted.flags()).containsExactly(ResponseFlag.FI);
        assertThat(aborted.fault()).isEqualTo(new InjectedFault(0, 503));
        assertThat(aborted.attempts()).isEmpty();
        assertThat(svc.count()).isEqualTo(2);
    }

    @Test
    void anOverrideThatFiresReplacesTheRouteFaultAndOneThatDoesNotLeavesIt() {
        start("fault: {delay: {fixedDelay: 150ms, percentage: {value: 100}}}").faults().abort("svc", 500).pathPrefix("/pay");
        assertThat(get("/pay")).isEqualTo(500);
        assertThat(get("/other")).isEqualTo(200);
        List<Exchange> all = proxy.journal().exchanges();
        assertThat(all.get(0).flags()).containsExactly(ResponseFlag.FI);
        assertThat(all.get(0).fault()).isEqualTo(new InjectedFault(0, 500));
        assertThat(all.get(1).flags()).containsExactly(ResponseFlag.DI);
        assertThat(all.get(1).fault().delayMs()).isEqualTo(150);
    }

    @Test
    void delayOverrideIsScheduledAndFlaggedDI() {
        start("").faults().delay("svc", Duration.ofMillis(120));
        RawHttp.Response r = RawHttp.get(proxy.port(), OneService.AUTHORITY, "/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.elapsedMs()).isGreaterThanOrEqualTo(120);
        Exchange e = proxy.journal().exchanges().get(0);
        assertThat(e.flags()).containsExactly(ResponseFlag.DI);
        assertThat(e.fault()).isEqualTo(new InjectedFault(120, 0));
    }

    private int post(String body) {
        try (RawHttp c = new RawHttp(proxy.port())) {
            return c.send("POST", OneService.AUTHORITY, "/orders", body).status();
        }
    }

    @Test
    void retryAwareAbortKeyedOnTheBodyTellsPayloadsApart() {
        start("").faults().abort("svc", 503).firstAttempts(1, CallKey.methodPathAndBody());
        assertThat(post("{\"order\":1}")).as("first try of order 1").isEqualTo(503);
        assertThat(post("{\"order\":1}")).as("its retry").isEqualTo(200);
        assertThat(post("{\"order\":2}")).as("first try of another payload").isEqualTo(503);
        assertThat(post("{\"order\":2}")).isEqualTo(200);
        assertThat(svc.received()).extracting(TestBackend.Received::body)
                .containsExactly("{\"order\":1}", "{\"order\":2}");
        assertThat(proxy.journal().exchanges()).extracting(Exchange::status).containsExactly(503, 200, 503, 200);
    }

    @Test
    void retryAwareAbortLetsTheThirdTryOfEachCallThrough() {
        start("").faults().abort("svc", 503).firstAttempts(2, CallKey.header("idempotency-key"));
        List<Integer> statuses = IntStream.range(0, 3).mapToObj(i -> get("/pay", "idempotency-key: k1")).toList();
        assertThat(statuses).containsExactly(503, 503, 200);
        assertThat(get("/pay", "idempotency-key: k2")).isEqualTo(503);
    }

    @Test
    void clearedOverridesNoLongerApply() {
        start("").faults().abort("svc", 503);
        assertThat(get("/")).isEqualTo(503);
        proxy.faults().clear();
        assertThat(get("/")).isEqualTo(200);
    }
}
