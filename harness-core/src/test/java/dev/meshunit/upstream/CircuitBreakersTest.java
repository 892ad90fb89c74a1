package dev.meshunit.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.config.ConnectionPoolSettings;
import dev.meshunit.config.RetryBudget;
import org.junit.jupiter.api.Test;

class CircuitBreakersTest {
    private static ConnectionPoolSettings maxRetries(int n) {
        return new ConnectionPoolSettings(null, new ConnectionPoolSettings.Http(null, null, null, n, null, null, null, null));
    }

    @Test
    void maxRetriesLimitsRetriesInFlight() {
        CircuitBreakers b = new CircuitBreakers(maxRetries(2));
        assertThat(b.tryRetry()).isTrue();
        assertThat(b.tryRetry()).isTrue();
        assertThat(b.tryRetry()).isFalse();
        b.retryDone();
        assertThat(b.tryRetry()).isTrue();
        assertThat(b.snapshot().retryOverflows()).isEqualTo(1);
    }

    @Test
    void aRetryBudgetReplacesMaxRetriesAndScalesWithActiveRequests() {
        CircuitBreakers b = new CircuitBreakers(maxRetries(1), new RetryBudget(25.0, 2, null));
        assertThat(b.retryLimit()).as("the minimum concurrency while few requests are active").isEqualTo(2);
        for (int i = 0; i < 40; i++) assertThat(b.tryRequest()).isTrue();
        assertThat(b.retryLimit()).as("25% of 40 active requests").isEqualTo(10);
        for (int i = 0; i < 10; i++) assertThat(b.tryRetry()).isTrue();
        assertThat(b.tryRetry()).isFalse();
    }

    @Test
    void budgetDefaultsAreTwentyPercentAndThree() {
        CircuitBreakers b = new CircuitBreakers(null, new RetryBudget(null, null, null));
        assertThat(b.retryLimit()).isEqualTo(3);
        for (int i = 0; i < 100; i++) b.tryRequest();
        assertThat(b.retryLimit()).isEqualTo(20);
    }
}
