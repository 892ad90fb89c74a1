package dev.meshunit.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshunit.routing.RequestView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Which request a test's fault hits, and that the route's fault applies when none does. */
class FaultOverridesTest {
    private static final String RATINGS = "ratings.default.svc.cluster.local";
    private static final FaultDecision ROUTE_DELAY = new FaultDecision(Duration.ofMillis(5), 0, null);

    private final FaultOverrides faults = new FaultOverrides();
    private final Random random = new Random(1);

    private record Req(String method, String authority, String path, Map<String, String> headers) implements RequestView {
        static Req get(String authority, String path, String... nameValue) {
            Map<String, String> h = new java.util.HashMap<>();
            for (int i = 0; i < nameValue.length; i += 2) h.put(nameValue[i], nameValue[i + 1]);
            return new Req("GET", authority, path, h);
        }

        @Override public String scheme() { return "http"; }
        @Override public List<String> queryParam(String name) { return List.of(); }
        @Override public String header(String name) { return headers.get(name); }
        @Override public int port() { return 9080; }
    }

    private FaultDecision decide(Req r, String subset) {
        return faults.decide(r, RATINGS, subset, FaultPolicy.NONE, random);
    }

    private List<Integer> abortsOf(int n, Req r) {
        return IntStream.rangeClosed(1, n).filter(i -> decide(r, null).aborts()).boxed().toList();
    }

    @Test
    void noOverrideLeavesTheRoutesFaultAndDrawsNothing() {
        Random before = new Random(1);
        FaultPolicy routeFault = FaultPolicy.of(null);
        assertThat(faults.decide(Req.get("ratings:9080", "/"), RATINGS, null, routeFault, random)).isEqualTo(FaultDecision.NONE);
        assertThat(random.nextInt()).isEqualTo(before.nextInt());
    }

    @Test
    void hostMatchesShortNameFqdnOrAuthority() {
        faults.abort("ratings", 503);
        assertThat(decide(Req.get("ratings:9080", "/"), null).abortStatus()).isEqualTo(503);
        assertThat(faults.decide(Req.get("reviews:9080", "/"), "reviews.default.svc.cluster.local", null,
                FaultPolicy.NONE, random)).isEqualTo(FaultDecision.NONE);
    }

    @Test
    void subsetPathAndHeaderNarrowTheMatch() {
        faults.delay("ratings", Duration.ofMillis(200)).subset("v2").pathPrefix("/ratings").header("end-user=jason");
        Req jason = Req.get("ratings:9080", "/ratings/1", "end-user", "jason");
        assertThat(decide(jason, "v2").delay()).isEqualTo(Duration.ofMillis(200));
        assertThat(decide(jason, "v1")).isEqualTo(FaultDecision.NONE);
        assertThat(decide(Req.get("ratings:9080", "/health", "end-user", "jason"), "v2")).isEqualTo(FaultDecision.NONE);
        assertThat(decide(Req.get("ratings:9080", "/ratings/1", "end-user", "bob"), "v2")).isEqualTo(FaultDecision.NONE);
    }

    @Test
    void sequencedFaultsHitExactlyTheNamedRequests() {
        faults.abort("ratings", 500).requests(3, 7);
        assertThat(abortsOf(10, Req.get("ratings:9080", "/"))).containsExactly(3, 7);

        faults.clear();
        faults.abort("ratings", 500).requestsBetween(10, 12);
        assertThat(abortsOf(15, Req.get("ratings:9080", "/"))).containsExactly(10, 11, 12);
    }

    @Test
    void retryAwareFaultFailsTheFirstTriesOfEveryCallThenPasses() {
        faults.abort("ratings", 503).firstAttempts(2, CallKey.header("idempotency-key"));
        Req a = Req.get("ratings:9080", "/pay", "idempotency-key", "a");
        Req b = Req.get("ratings:9080", "/pay", "idempotency-key", "b");
        assertThat(List.of(decide(a, null).aborts(), decide(a, null).aborts(), decide(b, null).aborts(),
                decide(a, null).aborts(), decide(b, null).aborts(), decide(b, null).aborts()))
                .containsExactly(true, true, true, false, true, false);
    }

    @Test
    void callsKeyedByMethodAndPathByDefault() {
        faults.abort("ratings", 503).firstAttempts(1);
        assertThat(abortsOf(3, Req.get("ratings:9080", "/r/1"))).containsExactly(1);
        assertThat(decide(Req.get("ratings:9080", "/r/2"), null).aborts()).isTrue();
    }

    @Test
    void firstOverrideThatFiresWinsAndReplacesTheRouteFault() {
        FaultPolicy route = new FaultPolicy(Duration.ofMillis(5), 100, 0, null, 0);
        faults.abort("ratings", 500).requests(2);
        faults.delay("ratings", Duration.ofMillis(50)).requests(2, 3);
        Req r = Req.get("ratings:9080", "/");
        List<FaultDecision> decisions = IntStream.range(0, 4)
                .mapToObj(i -> faults.decide(r, RATINGS, null, route, random)).toList();
        assertThat(decisions).containsExactly(ROUTE_DELAY, new FaultDecision(Duration.ZERO, 500, null),
                new FaultDecision(Duration.ofMillis(50), 0, null), ROUTE_DELAY);
    }

    @Test
    void percentagesDrawFromTheSeededSource() {
        faults.abort("ratings", 503).percentage(50);
        List<Integer> first = abortsOf(40, Req.get("ratings:9080", "/"));
        FaultOverrides again = new FaultOverrides();
        again.abort("ratings", 503).percentage(50);
        Random same = new Random(1);
        List<Integer> second = IntStream.rangeClosed(1, 40)
                .filter(i -> again.decide(Req.get("ratings:9080", "/"), RATINGS, null, FaultPolicy.NONE, same).aborts())
                .boxed().toList();
        assertThat(first).isEqualTo(second).hasSizeBetween(10, 30);
    }

    @Test
    void removedRuleNoLongerFiresAndCannotBeChanged() {
        FaultRule rule = faults.abort("ratings", 503);
        rule.remove();
        assertThat(faults.isEmpty()).isTrue();
        assertThatThrownBy(() -> rule.subset("v1")).hasMessageContaining("removed");
    }

    @Test
    void badValuesAreRejectedSayingWhat() {
        assertThatThrownBy(() -> Fault.abort(99)).hasMessage("abort status must be 200-599 (was 99)");
        assertThatThrownBy(() -> Fault.delay(Duration.ZERO)).hasMessageContaining("delay must be > 0");
        assertThatThrownBy(() -> FaultTrigger.Requests.between(5, 2)).hasMessageContaining("1 <= first <= last");
        assertThatThrownBy(() -> FaultMatch.host("r").withHeader("novalue")).hasMessageContaining("name=value");
    }
}
