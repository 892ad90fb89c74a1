package dev.meshunit.junit;

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
}
