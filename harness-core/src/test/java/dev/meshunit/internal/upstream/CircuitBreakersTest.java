package dev.meshunit.internal.upstream;

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
        CircuitBreakers.Slot first = b.tryRetry();
        assertThat(first).isNotNull();
        assertThat(b.tryRetry()).isNotNull();
        assertThat(b.tryRetry()).isNull();
        first.release();
        first.release(); // a second release gives nothing back twice
        assertThat(b.snapshot().activeRetries()).isEqualTo(1);
        assertThat(b.tryRetry()).isNotNull();
        assertThat(b.tryRetry()).isNull();
        assertThat(b.snapshot().retryOverflows()).isEqualTo(2);
    }

    @Test
    void aRetryBudgetReplacesMaxRetriesAndScalesWithActiveRequests() {
        CircuitBreakers b = new CircuitBreakers(maxRetries(1), new RetryBudget(25.0, 2, null));
        assertThat(b.retryLimit()).as("the minimum concurrency while few requests are active").isEqualTo(2);
        for (int i = 0; i < 40; i++) assertThat(b.tryRequest()).isNotNull();
        assertThat(b.retryLimit()).as("25% of 40 active requests").isEqualTo(10);
        for (int i = 0; i < 10; i++) assertThat(b.tryRetry()).isNotNull();
        assertThat(b.tryRetry()).isNull();
    }

    @Test
    void budgetDefaultsAreTwentyPercentAndThree() {
        CircuitBreakers b = new CircuitBreakers(null, new RetryBudget(null, null, null));
        assertThat(b.retryLimit()).isEqualTo(3);
        for (int i = 0; i < 100; i++) b.tryRequest();
        assertThat(b.retryLimit()).isEqualTo(20);
    }
}
