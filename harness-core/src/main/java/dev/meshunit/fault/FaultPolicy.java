package dev.meshunit.fault;

import dev.meshunit.config.HttpFaultInjection;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * A route's fault injection, compiled. Delay and abort are independent draws, delay first, as in Envoy's
 * fault filter, which runs before the router: aborts are never retried and delays do not count against
 * the route timeout.
 */
public final class FaultPolicy {
    public static final FaultPolicy NONE = new FaultPolicy(null, 0, 0, null, 0);

    private final Duration delay;
    private final double delayPercent;
    private final int abortStatus;
    private final String abortGrpcStatus;
    private final double abortPercent;

    FaultPolicy(Duration delay, double delayPercent, int abortStatus, String abortGrpcStatus, double abortPercent) {
        this.delay = delay;
        this.delayPercent = delayPercent;
        this.abortStatus = abortStatus;
        this.abortGrpcStatus = abortGrpcStatus;
        this.abortPercent = abortPercent;
    }

    public static FaultPolicy of(HttpFaultInjection f) {
        if (f == null) return NONE;
        Duration delay = null;
        double delayPercent = 0;
        if (f.delay() != null && f.delay().fixedDelay() != null) {
            delay = f.delay().fixedDelay();
            delayPercent = f.delay().effectivePercentage();
        }
        int status = 0;
        String grpc = null;
        double abortPercent = 0;
        if (f.abort() != null) {
            status = f.abort().httpStatus() == null ? 0 : f.abort().httpStatus();
            grpc = f.abort().grpcStatus();
            abortPercent = f.abort().effectivePercentage();
        }
        return new FaultPolicy(delay, delayPercent, status, grpc, abortPercent);
    }

    public boolean isNone() {
        return (delay == null || delayPercent <= 0) && ((abortStatus == 0 && abortGrpcStatus == null) || abortPercent <= 0);
    }

    /** Draws both dice; a percentage is a percent (0.1 means one request in a thousand). */
    public FaultDecision decide(RandomGenerator random) {
        if (isNone()) return FaultDecision.NONE;
        Duration d = delay != null && fires(delayPercent, random) ? delay : Duration.ZERO;
        boolean abort = (abortStatus > 0 || abortGrpcStatus != null) && fires(abortPercent, random);
        if (d.isZero() && !abort) return FaultDecision.NONE;
        return new FaultDecision(d, abort ? (abortStatus > 0 ? abortStatus : 200) : 0, abort ? abortGrpcStatus : null);
    }

    static boolean fires(double percent, RandomGenerator random) {
        if (percent <= 0) return false;
        if (percent >= 100) return true;
        // Envoy draws against a per-million numerator: value * 10000 out of 1,000,000.
        return random.nextInt(1_000_000) < Math.round(percent * 10_000);
    }
}
