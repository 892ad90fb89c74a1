package dev.meshunit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test backend's address, bound into the YAML as {@code ${name.port}} and {@code ${name.host}}. The field,
 * static or not, is read before the proxy starts and may be an {@code int}/{@code Integer} (a port on
 * 127.0.0.1), a {@link java.net.URI} or an {@link java.net.InetSocketAddress}.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Backend {
    /** The placeholder prefix, e.g. {@code reviews-v1} for {@code ${reviews-v1.port}}. */
    String value();
}
