package dev.meshunit.assertj;

import dev.meshunit.assertj.internal.ConnectionTable;
import dev.meshunit.chaos.EndReason;
import dev.meshunit.chaos.TcpConnectionRecord;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/** Assertions on one TCP connection through a toxic proxy. */
public class TcpConnectionAssert extends AbstractAssert<TcpConnectionAssert, TcpConnectionRecord> {

    public TcpConnectionAssert(TcpConnectionRecord actual) {
        super(actual, TcpConnectionAssert.class);
    }

    public TcpConnectionAssert endedWith(EndReason reason) {
        return check(actual.endReason() == reason, "expected the connection to end with %s but it %s", reason,
                actual.open() ? "is open" : "ended with " + actual.endReason());
    }

    public TcpConnectionAssert isOpen() {
        return check(actual.open(), "expected the connection to be open but it ended with %s", actual.endReason());
    }

    public TcpConnectionAssert appliedToxic(String name) {
        return check(TcpConnectionsAssert.applied(actual, name), "expected the connection to meet toxic %s but it met %s",
                name, actual.toxicsApplied());
    }

    /** Bytes written to the upstream. */
    public TcpConnectionAssert hasBytesUp(long bytes) {
        return check(actual.bytesUp() == bytes, "expected %d bytes up but there were %d", bytes, actual.bytesUp());
    }

    /** Bytes written to the client. */
    public TcpConnectionAssert hasBytesDown(long bytes) {
        return check(actual.bytesDown() == bytes, "expected %d bytes down but there were %d", bytes, actual.bytesDown());
    }

    public TcpConnectionAssert lastedAtLeast(Duration d) {
        return check(!actual.open() && !Duration.between(actual.start(), actual.end()).minus(d).isNegative(),
                "expected the connection to last at least %d ms", d.toMillis());
    }

    private TcpConnectionAssert check(boolean ok, String message, Object... args) {
        isNotNull();
        if (!ok) failWithMessage(message + ":%n%s", append(args, ConnectionTable.render(List.of(actual))));
        return this;
    }

    private static Object[] append(Object[] args, Object last) {
        Object[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = last;
        return all;
    }
}
