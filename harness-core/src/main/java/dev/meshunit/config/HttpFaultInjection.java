package dev.meshunit.config;

import java.time.Duration;

/** Delay and/or abort, each with its own percentage; an absent percentage means the fault never fires. */
public record HttpFaultInjection(Delay delay, Abort abort) {

    /** {@code percent} is the deprecated integer form, used only when {@code percentage} is absent. */
    public record Delay(Duration fixedDelay, Duration exponentialDelay, Double percentage, Integer percent) {
        public double effectivePercentage() {
            if (percentage != null) return percentage;
            return percent == null ? 0 : percent;
        }
    }

    public record Abort(Integer httpStatus, String grpcStatus, String http2Error, Double percentage) {
        public double effectivePercentage() {
            return percentage == null ? 0 : percentage;
        }
    }
}
