package dev.meshunit.assertj;

import dev.meshunit.assertj.internal.ConnectionTable;
import dev.meshunit.chaos.EndReason;
import dev.meshunit.chaos.TcpConnectionRecord;
import java.util.List;
import java.util.function.Predicate;
import org.assertj.core.api.AbstractAssert;

/** Assertions on TCP connections through toxic proxies, oldest first. */
public class TcpConnectionsAssert extends AbstractAssert<TcpConnectionsAssert, List<TcpConnectionRecord>> {

    public TcpConnectionsAssert(List<TcpConnectionRecord> actual) {
        super(actual == null ? null : List.copyOf(actual), TcpConnectionsAssert.class);
    }

    /** Only the connections through proxy {@code name}. */
    public TcpConnectionsAssert proxy(String name) {
        isNotNull();
        return new TcpConnectionsAssert(actual.stream().filter(c -> c.proxy().equals(name)).toList());
    }

    public TcpConnectionsAssert hasConnectionCount(int expected) {
        isNotNull();
        if (actual.size() != expected) {
            failWithMessage("expected %d connections but the proxies saw %d:%n%s", expected, actual.size(), ConnectionTable.render(actual));
        }
        return this;
    }

    public TcpConnectionsAssert allEndedWith(EndReason reason) {
        return allMatch(c -> c.endReason() == reason, "to have ended with " + reason);
    }

    public TcpConnectionsAssert noneEndedWith(EndReason reason) {
        return allMatch(c -> c.endReason() != reason, "not to have ended with " + reason);
    }

    /** Every connection has ended (the journal records bytes and the end reason when it does). */
    public TcpConnectionsAssert allClosed() {
        return allMatch(c -> !c.open(), "to have ended");
    }

    /** Every connection met toxic {@code name} (drawn active for it, see toxicity). */
    public TcpConnectionsAssert allAppliedToxic(String name) {
        return allMatch(c -> applied(c, name), "to have met toxic " + name);
    }

    public TcpConnectionsAssert noneAppliedToxic(String name) {
        return allMatch(c -> !applied(c, name), "not to have met toxic " + name);
    }

    /** Bytes delivered to the clients, over all the connections. */
    public TcpConnectionsAssert deliveredDownAtLeast(long bytes) {
        isNotNull();
        long down = actual.stream().mapToLong(TcpConnectionRecord::bytesDown).sum();
        if (down < bytes) failWithMessage("expected at least %d bytes delivered to clients but %d were:%n%s", bytes, down,
                ConnectionTable.render(actual));
        return this;
    }

    public TcpConnectionAssert connection(int index) {
        isNotNull();
        if (index < 0 || index >= actual.size()) {
            failWithMessage("no connection %d: there are %d:%n%s", index, actual.size(), ConnectionTable.render(actual));
        }
        return new TcpConnectionAssert(actual.get(index));
    }

    public TcpConnectionAssert singleConnection() {
        hasConnectionCount(1);
        return new TcpConnectionAssert(actual.get(0));
    }

    static boolean applied(TcpConnectionRecord c, String name) {
        return c.toxicsApplied().stream().anyMatch(t -> t.equals(name) || t.startsWith(name + "("));
    }

    private TcpConnectionsAssert allMatch(Predicate<TcpConnectionRecord> p, String what) {
        isNotNull();
        List<TcpConnectionRecord> bad = actual.stream().filter(p.negate()).toList();
        if (actual.isEmpty()) failWithMessage("expected connections %s but there were none", what);
        if (!bad.isEmpty()) {
            failWithMessage("expected every connection %s but %d of %d did not:%n%s", what, bad.size(), actual.size(),
                    ConnectionTable.render(bad));
        }
        return this;
    }
}
