package dev.meshunit.junit.toxic;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test class with a {@link dev.meshunit.chaos.ToxicProxyServer} (TCP toxics with Toxiproxy's
 * vocabulary, in-process): one proxy per {@link ToxicProxy} field, listening on 127.0.0.1 at a free port.
 * Tests take {@link Toxics}, {@code ToxicProxyServer} or {@code TcpJournal} parameters; the journal is
 * cleared before each test, and toxics are removed (proxies enabled again) after each. Needs
 * {@code meshunit-chaos} on the test class path.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ToxicExtension.class)
public @interface ToxicTest {
    /** The seed of toxicity draws and jitter. */
    long seed() default 1;
}
