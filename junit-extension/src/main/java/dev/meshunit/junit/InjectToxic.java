package dev.meshunit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A Toxiproxy TCP toxic between the sidecar and the endpoints of {@code host} (of one {@code subset}, when
 * given) for the duration of each test (on the class: every test): L4 faults under the proxy's routing, which
 * calls of other services never meet. Needs {@code meshunit-chaos} on the test classpath; its presence turns on
 * {@link MeshTest#toxics()}. At run time: {@link Mesh#toxics()}.
 *
 * <p>Attributes and units are Toxiproxy's; give those of the {@link #type()} (others are an error):
 * latency {@link #latency()} (required) and {@link #jitter()} in ms; bandwidth {@link #rate()} in KB/s (required);
 * slow_close {@link #delay()} in ms; timeout and reset_peer {@link #timeout()} in ms; slicer
 * {@link #averageSize()} (required) and {@link #sizeVariation()} in bytes, {@link #delay()} in µs; limit_data
 * {@link #bytes()} (required). Delays run on the proxy's virtual time when it has one.
 *
 * <pre>{@code
 * @InjectToxic(host = "ratings", type = InjectToxic.Type.LATENCY, latency = 300)
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Repeatable(InjectToxic.List.class)
public @interface InjectToxic {
    /** Not given: an attribute the type does not take, or one left at Toxiproxy's default. */
    long UNSET = -1;

    /** The service, as the config names it (short name or FQDN). */
    String host();

    /** A subset of the host's DestinationRule: only the endpoints its labels select. */
    String subset() default "";

    Type type();

    /** Toxiproxy's stream: {@code DOWNSTREAM} acts on the answers (endpoint to sidecar), {@code UPSTREAM} on requests. */
    Stream stream() default Stream.DOWNSTREAM;

    /** Default {@code <type>_<stream>}, e.g. {@code latency_downstream}. */
    String name() default "";

    /** The probability that the toxic applies to a connection (drawn per connection, seeded). */
    float toxicity() default 1f;

    long latency() default UNSET;

    long jitter() default UNSET;

    long rate() default UNSET;

    long delay() default UNSET;

    long timeout() default UNSET;

    long averageSize() default UNSET;

    long sizeVariation() default UNSET;

    long bytes() default UNSET;

    /** Toxiproxy's toxic types. */
    enum Type { LATENCY, BANDWIDTH, SLOW_CLOSE, TIMEOUT, RESET_PEER, SLICER, LIMIT_DATA }

    /** Toxiproxy's streams, seen from the sidecar: upstream is toward the service. */
    enum Stream { UPSTREAM, DOWNSTREAM }

    @Target({ElementType.TYPE, ElementType.METHOD})
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @Inherited
    @interface List {
        InjectToxic[] value();
    }
}
