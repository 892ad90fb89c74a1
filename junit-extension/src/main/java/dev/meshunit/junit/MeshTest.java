package dev.meshunit.junit;

import dev.meshunit.router.RetryDefaults;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test class against a {@link dev.meshunit.MeshProxy} configured with Istio YAML. Ports of test
 * backends reach the YAML as placeholders from {@link Backend} fields; tests receive {@link Mesh},
 * {@link dev.meshunit.MeshProxy} or {@link dev.meshunit.journal.Journal} as parameters. The journal is reset
 * before each test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(MeshExtension.class)
public @interface MeshTest {
    /** Classpath resources, or file and folder paths, holding the YAML; resources are tried first. */
    String[] config() default {};

    /** The seed of every random choice the proxy makes. */
    long seed() default 1;

    /** One proxy per test method instead of one per test class. */
    boolean perMethod() default false;

    /** Also open one listener per service port, reachable through {@link Mesh#uri(String)}. */
    boolean listenerPerService() default true;

    /**
     * Also make the proxy the JVM's default {@link java.net.ProxySelector} for the class, so that clients built
     * without a proxy (and {@code HttpURLConnection}) go through it; the previous selector is restored after
     * the class. JVM-wide state: not safe with other classes running in parallel; mark such a class
     * {@code @Isolated} or run it alone.
     */
    boolean jvmWideProxy() default false;

    /** Placeholder values besides those of {@link Backend} fields: {@code "region=eu", "timeout=2s"}. */
    String[] placeholders() default {};

    /**
     * Load the config files as {@code kubectl apply} would, one after another: a resource of the same kind,
     * namespace and name as an earlier one replaces it (Istio's task files, applied in their order).
     */
    boolean applyInOrder() default false;

    /** The retry policy of routes without {@code retries}: Istio 1.24's, 1.23's (also retries 503) or none. */
    RetryDefaults retryDefaults() default RetryDefaults.ISTIO_1_24;

    /**
     * Keep the first this many bytes of every attempt's request and answer body in the journal (for
     * {@code hasRequestBodyJson} / {@code hasResponseBodyJson}), and for mirrored requests of the primary's and
     * each shadow's answer, for a shadow comparison ({@code meshunit-mirror}'s
     * {@code ShadowComparison.on(mesh.journal())}). 0: off.
     */
    int recordBodies() default 0;

    /** Exchanges the journal keeps in detail; older ones are dropped, counters keep counting. */
    int journalCapacity() default 10_000;

    /** The most of a request body kept for retries; a larger body streams through and is not retried. */
    int maxBufferedBodyBytes() default 1024 * 1024;

    /** The calling workload's namespace: short host names resolve in it. */
    String sourceNamespace() default "default";

    /** The calling workload's labels, met by {@code sourceLabels} matches: {@code "app=productpage"}. */
    String[] sourceLabels() default {};

    /** Where the proxy's listeners bind. */
    String bindAddress() default "127.0.0.1";

    /** The outbound listener's port; 0 picks a free one. A fixed port cannot be shared by parallel classes. */
    int port() default 0;

    /** The proxy's event-loop threads; 0: as many as the machine has cores, at most 4. */
    int ioThreads() default 0;

    /**
     * Start from Istio's sidecar's downstream timeouts (no request headers timeout, no stream idle timeout)
     * instead of MeshUnit's test-friendly ones (60 s, 5 min); the timeout attributes below still apply.
     */
    boolean istioSidecarTimeouts() default false;

    /** Envoy's request headers timeout ({@code 200ms}, {@code 1.5s}, {@code 2m}; {@code 0} off); "" keeps the default. */
    String requestHeadersTimeout() default "";

    /** Envoy's stream idle timeout: an idle stream gets 504 {@code stream timeout}, flag SI; "" keeps the default. */
    String streamIdleTimeout() default "";

    /** Envoy's connection idle timeout (1 h by default); "" keeps the default. */
    String idleTimeout() default "";

    /** Request headers allowed (Envoy's {@code max_headers_count}); more get 431. */
    int maxHeadersCount() default 100;

    /** Request URI, header names and values allowed, in KiB (Envoy's {@code max_request_headers_kb}); more get 431. */
    int maxRequestHeadersKb() default 60;

    /** Downstream connections open at once; one more is closed at accept. */
    int maxConnections() default Integer.MAX_VALUE;

    /**
     * Put TCP toxics under the sidecar: its upstream connections pass through a toxic proxy per service and
     * endpoint, driven by {@link Mesh#toxics()} (needs {@code meshunit-chaos}). On by itself when the class or
     * one of its tests has an {@link InjectToxic}.
     */
    boolean toxics() default false;

    /**
     * Run the proxy on a {@link dev.meshunit.VirtualTime} that stands still until the test moves it
     * ({@link Mesh#time()}, or a {@code VirtualTime} parameter): fault delays, timeouts, back-off, outlier
     * ejection, the journal's times and the delays of toxics under the sidecar follow it, so a test asserts exact durations without sleeping. One per
     * proxy: with {@link #perMethod()} each test starts at the same instant, otherwise time runs on across the
     * class's tests.
     */
    boolean virtualTime() default false;
}
