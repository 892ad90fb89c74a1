package dev.meshunit.internal.fault;

import dev.meshunit.fault.Fault;
import dev.meshunit.fault.FaultDecision;
import dev.meshunit.fault.FaultOverrides;
import dev.meshunit.internal.http.FilterCallbacks;
import dev.meshunit.internal.http.LocalReply;
import dev.meshunit.internal.http.RequestHead;
import dev.meshunit.internal.http.StreamFilter;
import dev.meshunit.internal.http.StreamInfo;
import dev.meshunit.internal.time.Scheduler;
import dev.meshunit.journal.ResponseFlag;
import io.netty.buffer.ByteBuf;
import java.util.random.RandomGenerator;

/**
 * Envoy's fault filter: a test's overrides first (the first that fires replaces the route's fault), then the
 * route's own; a delay (a timer, never a sleep), then an abort answered locally or an answer broken at HTTP
 * level ({@link BrokenAnswer}). It waits for the whole body
 * only when an override keys its calls on the body.
 */
public final class FaultFilter implements StreamFilter {
    private final FilterCallbacks stream;
    private final FaultOverrides overrides;
    private final RandomGenerator random;
    private boolean awaitingBody;
    private Scheduler.Timer delay;
    private BrokenAnswer broken;

    public FaultFilter(FilterCallbacks stream, FaultOverrides overrides, RandomGenerator random) {
        this.stream = stream;
        this.overrides = overrides;
        this.random = random;
    }

    @Override
    public Status decodeHeaders(RequestHead request) {
        StreamInfo info = stream.info();
        if (!stream.body().complete()
                && overrides.needsBody(request, info.destination().host(), info.destination().subset())) {
            // A test fault keys its calls on the body: decide once the body is in (or too large to keep).
            awaitingBody = true;
            return Status.STOP;
        }
        return decide(request);
    }

    @Override
    public void decodeData(ByteBuf data, boolean endStream) {
        if (!awaitingBody || !(endStream || !stream.body().replayable())) return;
        awaitingBody = false;
        RequestHead request = stream.info().request();
        request.bodyDigest(stream.body().digest());
        if (decide(request) == Status.CONTINUE) stream.continueDecoding();
    }

    private Status decide(RequestHead request) {
        StreamInfo info = stream.info();
        FaultDecision fault = overrides.decide(request, info.destination().host(), info.destination().subset(),
                info.match().route().fault(), random);
        info.fault(fault);
        if (fault.delays()) {
            info.flags().add(ResponseFlag.DI);
            delay = stream.timers().schedule(this::afterDelay, fault.delay().toMillis());
            return Status.STOP;
        }
        return abort(fault) || breakAnswer(fault) ? Status.STOP : Status.CONTINUE;
    }

    private void afterDelay() {
        delay = null;
        if (stream.done()) return;
        FaultDecision fault = stream.info().fault();
        if (!abort(fault) && !breakAnswer(fault)) stream.continueDecoding();
    }

    /** Breaks the answer when the fault is an HTTP-level one; false when the request goes on. */
    private boolean breakAnswer(FaultDecision fault) {
        if (!fault.breaks()) return false;
        broken = new BrokenAnswer(stream);
        broken.apply(fault.broken());
        return true;
    }

    /** Answers the request when the fault aborts it; false when it goes on. */
    private boolean abort(FaultDecision fault) {
        if (!fault.aborts()) return false;
        stream.info().flags().add(ResponseFlag.FI);
        if (fault.grpcStatus() != null) {
            String code = grpcCode(fault.grpcStatus());
            stream.sendLocalReply(LocalReply.text(200, "",
                    h -> h.set("grpc-status", code).set("grpc-message", LocalReply.FAULT_ABORT)
                            .set("content-type", "application/grpc")));
        } else {
            stream.sendLocalReply(LocalReply.text(fault.abortStatus(), LocalReply.FAULT_ABORT));
        }
        return true;
    }

    static String grpcCode(String name) {
        for (int i = 0; i < Fault.GrpcAbort.NAMES.size(); i++) {
            if (Fault.GrpcAbort.NAMES.get(i).equalsIgnoreCase(name)) return Integer.toString(i);
        }
        return "2";
    }

    @Override
    public void onReset(String reason) {
        onDestroy();
    }

    @Override
    public void onDestroy() {
        if (delay != null) delay.cancel();
        delay = null;
        if (broken != null) broken.cancel();
    }
}
