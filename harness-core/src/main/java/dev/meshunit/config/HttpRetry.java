package dev.meshunit.config;

import java.time.Duration;

/** A route's retry policy; {@code attempts} counts retries, so a request is tried at most attempts + 1 times. */
public record HttpRetry(
        Integer attempts, Duration perTryTimeout, String retryOn, Boolean retryRemoteLocalities,
        Boolean retryIgnorePreviousHosts, Duration backoff) {}
