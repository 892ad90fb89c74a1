package dev.meshunit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Runs a {@link MeshTest} method once without faults, recording the distinct calls it made through the proxy
 * (service and path, or {@link #callKey()}, in order), then once per call and fault of {@link #faults()}, each fault injected on that call
 * alone; each run is a test of its own, named by the call and the fault. A run with faults is extended only by the
 * calls it made (with {@link #maxFaultsPerRun()} above 1): a call that no longer happens under an earlier fault is
 * not explored further. At most {@link #maxInvocations()} runs; when the combinations left exceed that, a
 * {@link #seed() seeded} draw picks which run. Ends with a summary table "call x fault: passed / failed" in the
 * report (entry {@code meshunit.exploration}, file {@code meshunit-exploration.html} linking each run's timeline).
 * Declare the failures a team accepts by design with {@link ExpectFailureWhen}.
 *
 * <p>The runs of one exploration run one after another (each depends on what the earlier ones saw).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@Execution(ExecutionMode.SAME_THREAD)
@ExtendWith(FaultExplorer.class)
public @interface ExploreFaults {
    /** The faults to inject, each on each call. */
    ExploredFault[] faults() default {ExploredFault.ABORT_503, ExploredFault.ABORT_500, ExploredFault.DELAY};

    /** The caller's time budget, e.g. its timeout: {@link ExploredFault#DELAY} waits 1.5 times this. {@code 500ms}, {@code 2s}. */
    String budget() default "1s";

    /** The most runs, the first one without faults included. */
    int maxInvocations() default 100;

    /** How many faults one run may combine (1: each fault alone). */
    int maxFaultsPerRun() default 1;

    /** Seeds the choice of runs when {@link #maxInvocations()} cannot take every combination. */
    long seed() default 1;

    /**
     * A request header that names the call ({@code x-operation}, a GraphQL operation name...): requests that carry it
     * are one call per service and value, and the fault matches on it instead of the path. Empty: service and path.
     */
    String callKey() default "";
}
