package dev.meshunit.junit.toxic;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A static field naming what a toxic proxy forwards to: an {@code int} port (on 127.0.0.1), an
 * {@code InetSocketAddress}, a {@code "host:port"} string, or a {@code StubBackend}. The extension creates
 * proxy {@link #value()} before the class's first test; {@code toxics.port("redis")} is where to connect.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ToxicProxy {
    /** The proxy's name, as toxics and the journal name it. */
    String value();
}
