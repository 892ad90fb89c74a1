package dev.meshunit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshunit.downstream.DownstreamLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code meshunit proxy}'s downstream limit flags: each reaches {@link DownstreamLimits}; a bad one is named. */
class DownstreamFlagsTest {
    private static DownstreamLimits parse(String... flags) throws UsageException {
        List<String> args = new ArrayList<>(List.of("--config", "x.yaml"));
        args.addAll(List.of(flags));
        return ProxyCommand.Settings.parse(args).downstream();
    }

    @Test
    void withoutFlagsTheDefaultsApply() throws UsageException {
        assertThat(parse()).isEqualTo(DownstreamLimits.DEFAULT);
        assertThat(parse("--istio-sidecar-timeouts")).isEqualTo(DownstreamLimits.ISTIO_SIDECAR);
    }

    @Test
    void everyFlagIsApplied() throws UsageException {
        DownstreamLimits d = parse("--request-headers-timeout", "10s", "--stream-idle-timeout", "0", "--idle-timeout", "2m",
                "--max-headers-count", "50", "--max-request-headers-kb", "96", "--max-connections", "10",
                "--max-pending-head-bytes", "1000000");
        assertThat(d).isEqualTo(new DownstreamLimits(Duration.ofSeconds(10), Duration.ZERO, Duration.ofMinutes(2), 50,
                96 * 1024, 10, 1_000_000));
        assertThat(parse("--istio-sidecar-timeouts", "--stream-idle-timeout", "30s").streamIdleTimeout())
                .isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> parse("--stream-idle-timeout", "soon")).isInstanceOf(UsageException.class)
                .hasMessageContaining("--stream-idle-timeout must be a duration");
        assertThatThrownBy(() -> parse("--max-headers-count", "0")).isInstanceOf(UsageException.class)
                .hasMessageContaining("--max-headers-count must be 1-");
        assertThatThrownBy(() -> parse("--max-request-headers-kb", "9000")).isInstanceOf(UsageException.class)
                .hasMessageContaining("--max-request-headers-kb must be 1-8192");
    }
}
