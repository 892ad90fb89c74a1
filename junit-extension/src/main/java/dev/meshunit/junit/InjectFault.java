package dev.meshunit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A delay, an abort or both (delay first) for requests to {@code host}, for the duration of each test (on the
 * class: every test). {@link InjectDelay} and {@link InjectAbort} are its short forms. Applied before
 * the YAML route's fault; when it fires it replaces that fault for the request. Without {@code requests} or
 * {@code firstAttempts} it hits {@code percentage} percent of the matching requests (all by default).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Repeatable(InjectFault.List.class)
public @interface InjectFault {
    /** The service, short name or FQDN. */
    String host();

    /** {@code 200ms}, {@code 1.5s}, {@code 1m} or ISO-8601 ({@code PT0.2S}). */
    String delay() default "";

    /** The status the client gets, 200-599; 0: no abort. */
    int abort() default 0;

    String subset() default "";

    /** A path prefix. */
    String path() default "";

    /** One header with an exact value: {@code "end-user=jason"}. */
    String header() default "";

    double percentage() default 100;

    /** Only these matching requests, counted from 1 in each test: {@code "3,7"}, {@code "10-20"}. */
    String requests() default "";

    /** Only the first n tries of every logical call (0: off); see {@link #callKey()}. */
    int firstAttempts() default 0;

    /**
     * What identifies a logical call across a client's retries: a header name (e.g. {@code idempotency-key});
     * empty: method, authority and path; {@code "(body)"}: method, authority, path and the request body.
     */
    String callKey() default "";

    @Target({ElementType.TYPE, ElementType.METHOD})
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @Inherited
    @interface List {
        InjectFault[] value();
    }
}
