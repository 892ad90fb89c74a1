package dev.meshunit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Attaches the test's timeline ({@code meshunit-timeline.html}: exchanges, attempts, back-off, injected faults,
 * shadows and outlier ejections on a time axis) to the report even when the test passes. Failed tests of a
 * {@link MeshTest} always get one. On a test method or a test class (then every test of it).
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface AttachTimeline {}
