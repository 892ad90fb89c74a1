package dev.meshunit.chaos;

import dev.meshunit.chaos.internal.JournalStore;
import java.util.List;

/** Every TCP connection a {@link ToxicProxyServer} accepted, oldest first. */
public final class TcpJournal {
    private final JournalStore store;

    TcpJournal(JournalStore store) {
        this.store = store;
    }

    public List<TcpConnectionRecord> connections() {
        return store.snapshot();
    }

    public List<TcpConnectionRecord> connections(String proxy) {
        return connections().stream().filter(c -> c.proxy().equals(proxy)).toList();
    }

    public void clear() {
        store.clear();
    }
}
