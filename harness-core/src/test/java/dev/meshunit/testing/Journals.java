package dev.meshunit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshunit.MeshProxy;
import dev.meshunit.journal.Exchange;
import java.time.Duration;
import java.util.List;

/** Waiting for the journal: an exchange a client gave up on is recorded after the client has moved on. */
public final class Journals {
    private Journals() {}

    /** The one exchange for {@code path}, once recorded. */
    public static Exchange awaitExchange(MeshProxy proxy, String path) {
        await().atMost(Duration.ofSeconds(5)).until(() -> !proxy.journal().select(e -> e.path().equals(path)).isEmpty());
        List<Exchange> found = proxy.journal().select(e -> e.path().equals(path));
        assertThat(found).as("exchanges for %s", path).hasSize(1);
        return found.get(0);
    }
}
