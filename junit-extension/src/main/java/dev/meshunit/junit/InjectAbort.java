package dev.meshunit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Answers requests to {@code host} with {@code status} itself (flag FI), or gRPC calls with {@code grpcStatus}
 * (a trailers-only answer, HTTP 200 with {@code grpc-status}, as Istio's {@code abort.grpcStatus}), for the duration of each test (on the
 * class: every test); they never reach an upstream and are not retried by the proxy. Applied before the YAML
 * route's fault; when it fires it replaces that fault for the request. Without {@code requests} or
 * {@code firstAttempts} it hits {@code percentage} percent of the matching requests (all by default).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Repeatable(InjectAbort.List.class)
public @interface InjectAbort {
    /** The service, short name or FQDN. */
    String host();

    /** The status the client gets, 200-599; give this or {@link #grpcStatus()}. */
    int status() default 0;

    /**
     * The gRPC status the client gets, by name as Istio writes it ({@code UNAVAILABLE}, {@code RESOURCE_EXHAUSTED}...);
     * give this or {@link #status()}.
     */
    String grpcStatus() default "";

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
        InjectAbort[] value();
    }
}
