package dev.meshunit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A failure accepted by design in an {@link ExploreFaults} run: when a fault hits a call to {@code service} (and,
 * if given, one of {@code fault} and a path starting with {@code path}), a failing run passes and the summary says
 * "failed (expected)". On the test method or its class; repeatable.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(ExpectFailureWhen.List.class)
public @interface ExpectFailureWhen {
    /** The service, by short name ({@code ratings}) as the summary names it. */
    String service();

    /** The faults this covers; empty: any. */
    ExploredFault[] fault() default {};

    /** A path prefix; empty: any path. */
    String path() default "";

    @Target({ElementType.METHOD, ElementType.TYPE})
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @interface List {
        ExpectFailureWhen[] value();
    }
}
