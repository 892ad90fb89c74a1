package dev.meshunit.internal.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.fault.CallKey;
import dev.meshunit.fault.FaultOverrides;
import dev.meshunit.internal.http.FakeStream;
import dev.meshunit.internal.http.LocalReply;
import dev.meshunit.internal.http.StreamFilter.Status;
import dev.meshunit.internal.http.TestHeaders;
import dev.meshunit.journal.ResponseFlag;
import dev.meshunit.testing.OneService;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fault filter on fake stream callbacks and virtual time: no sockets, exact times. */
class FaultFilterTest {
    private static FakeStream stream(String routeFields) {
        return new FakeStream(OneService.config(1, routeFields), "GET", "/a", "host", "svc:8080");
    }

    private static FaultFilter filter(FakeStream s, FaultOverrides overrides) {
        return new FaultFilter(s, overrides, new Random(1));
    }

    @Test
    void aDelayHoldsTheRequestUntilItsTimeHasPassedOnTheProxysClock() {
        FakeStream s = stream("fault: {delay: {fixedDelay: 2s, percentage: {value: 100}}}");
        FaultFilter f = filter(s, new FaultOverrides());
        assertThat(f.decodeHeaders(s.request())).isEqualTo(Status.STOP);
        assertThat(s.info().flags()).containsExactly(ResponseFlag.DI);
        assertThat(s.time.nextTimerIn()).isEqualTo(Duration.ofSeconds(2));
        s.time.advance(Duration.ofMillis(1999));
        assertThat(s.continued).isZero();
        s.time.advance(Duration.ofMillis(1));
        assertThat(s.continued).isEqualTo(1);
        assertThat(s.localReplies).isEmpty();
        assertThat(s.info().fault().delay()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void anAbortAnswersLocallyWithEnvoysBodyAndFlagFI() {
        FakeStream s = stream("fault: {abort: {httpStatus: 503, percentage: {value: 100}}}");
        assertThat(filter(s, new FaultOverrides()).decodeHeaders(s.request())).isEqualTo(Status.STOP);
        assertThat(s.localReplies).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(503);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(LocalReply.FAULT_ABORT);
        });
        assertThat(s.info().flags()).containsExactly(ResponseFlag.FI);
        assertThat(s.continued).isZero();
    }

    @Test
    void delayThenAbortAbortsOnlyOnceTheDelayIsOver() {
        FakeStream s = stream("fault: {delay: {fixedDelay: 100ms, percentage: {value: 100}}, "
                + "abort: {httpStatus: 500, percentage: {value: 100}}}");
        filter(s, new FaultOverrides()).decodeHeaders(s.request());
        assertThat(s.localReplies).isEmpty();
        s.time.advance(Duration.ofMillis(100));
        assertThat(s.localReplies).extracting(LocalReply::status).containsExactly(500);
        assertThat(s.info().flags()).containsExactlyInAnyOrder(ResponseFlag.DI, ResponseFlag.FI);
        assertThat(s.continued).isZero();
    }

    @Test
    void aGrpcAbortAnswers200WithTheGrpcStatusCode() {
        FakeStream s = stream("fault: {abort: {grpcStatus: UNAVAILABLE, percentage: {value: 100}}}");
        filter(s, new FaultOverrides()).decodeHeaders(s.request());
        LocalReply r = s.localReplies.get(0);
        assertThat(r.status()).isEqualTo(200);
        TestHeaders h = new TestHeaders();
        r.headers().accept(h);
        assertThat(h.get("grpc-status")).isEqualTo("14");
        assertThat(h.get("content-type")).isEqualTo("application/grpc");
    }

    @Test
    void aTestOverrideFiresFirstAndReplacesTheRoutesFault() {
        FakeStream s = stream("fault: {delay: {fixedDelay: 5s, percentage: {value: 100}}}");
        FaultOverrides overrides = new FaultOverrides();
        overrides.abort("svc", 418);
        filter(s, overrides).decodeHeaders(s.request());
        assertThat(s.localReplies).extracting(LocalReply::status).containsExactly(418);
        assertThat(s.info().flags()).containsExactly(ResponseFlag.FI);
        assertThat(s.time.pendingTimers()).isZero();
    }

    @Test
    void anOverrideKeyedOnTheBodyWaitsForTheWholeBody() {
        FakeStream s = stream("");
        FaultOverrides overrides = new FaultOverrides();
        overrides.abort("svc", 503).firstAttempts(1, CallKey.methodPathAndBody());
        FaultFilter f = filter(s, overrides);
        assertThat(f.decodeHeaders(s.request())).isEqualTo(Status.STOP);
        assertThat(s.localReplies).isEmpty();
        var half = Unpooled.copiedBuffer("order-", StandardCharsets.UTF_8);
        s.body().append(half, false, null);
        f.decodeData(half, false);
        assertThat(s.localReplies).isEmpty();
        var rest = Unpooled.copiedBuffer("42", StandardCharsets.UTF_8);
        s.body().append(rest, true, null);
        f.decodeData(rest, true);
        assertThat(s.request().bodyDigest()).hasSize(64);
        assertThat(s.localReplies).extracting(LocalReply::status).containsExactly(503);
        s.body().release();
    }

    @Test
    void aResetStreamCancelsThePendingDelay() {
        FakeStream s = stream("fault: {delay: {fixedDelay: 1s, percentage: {value: 100}}}");
        FaultFilter f = filter(s, new FaultOverrides());
        f.decodeHeaders(s.request());
        assertThat(s.time.pendingTimers()).isEqualTo(1);
        f.onReset("downstream disconnected");
        assertThat(s.time.pendingTimers()).isZero();
        s.time.advance(Duration.ofSeconds(2));
        assertThat(s.continued).isZero();
    }

    @Test
    void noFaultLetsTheRequestThrough() {
        FakeStream s = stream("");
        assertThat(filter(s, new FaultOverrides()).decodeHeaders(s.request())).isEqualTo(Status.CONTINUE);
        assertThat(s.info().flags()).isEmpty();
    }
}
