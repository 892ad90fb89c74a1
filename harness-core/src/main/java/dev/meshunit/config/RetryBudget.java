package dev.meshunit.config;

import java.time.Duration;

/** Limits concurrent retries to a share of active requests; replaces maxRetries when set. */
public record RetryBudget(Double percent, Integer minRetryConcurrency, Duration budgetInterval) {}
