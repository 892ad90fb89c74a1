package dev.meshunit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Breaks the answer to requests to {@code host} at HTTP level, in place of the upstream's, for the duration of
 * each test (on the class: every test): the faults WireMock and MockServer users know. Journalled with flag FI
 * (plus LR for the resets) and the fault's name in {@code fault().http()}. Matching and triggers as
 * {@link InjectFault}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Repeatable(InjectHttpFault.List.class)
public @interface InjectHttpFault {
    /** What goes wrong. */
    enum Kind {
        /** A TCP reset before any byte of the answer. */
        RESET_BEFORE_ANSWER,
        /** A {@link #status()} head declaring 1024 bytes of body, then a TCP reset. */
        RESET_AFTER_HEADERS,
        /** The connection closes without a byte. */
        EMPTY_RESPONSE,
        /** A line that is no HTTP status line, then a close. */
        MALFORMED_STATUS_LINE,
        /** A 200 declaring {@link #length()} bytes, of which {@link #bytes()} come, then a close. */
        TRUNCATED_BODY,
        /** A 200 of {@link #length()} bytes, {@link #bytes()} per {@link #interval()} of the proxy's time. */
        SLOW_BODY
    }

    /** The service, short name or FQDN. */
    String host();

    Kind kind();

    /** The status of {@link Kind#RESET_AFTER_HEADERS}. */
    int status() default 200;

    /** The declared (truncated body) or whole (slow body) body length. */
    int length() default 1024;

    /** The bytes a truncated body sends, or a slow body sends per interval. */
    int bytes() default 16;

    /** A slow body's interval: {@code 200ms}, {@code 1.5s} or ISO-8601. */
    String interval() default "100ms";

    String subset() default "";

    /** A path prefix. */
    String path() default "";

    /** One header with an exact value: {@code "end-user=jason"}. */
    String header() default "";

    double percentage() default 100;

    /** Only these matching requests, counted from 1 in each test: {@code "3,7"}, {@code "10-20"}. */
    String requests() default "";

    /** Only the first n tries of every logical call (0: off); see {@link InjectFault#callKey()}. */
    int firstAttempts() default 0;

    String callKey() default "";

    @Target({ElementType.TYPE, ElementType.METHOD})
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @Inherited
    @interface List {
        InjectHttpFault[] value();
    }
}
