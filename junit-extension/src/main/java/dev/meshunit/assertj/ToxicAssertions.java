package dev.meshunit.assertj;

import dev.meshunit.chaos.TcpConnectionRecord;
import dev.meshunit.chaos.TcpJournal;
import java.util.List;

/**
 * Assertions over the TCP toxic proxies' journal ({@code meshunit-chaos}): start from the journal, narrow to
 * one proxy's connections, then to one connection. Failures show the connections as a table.
 *
 * <pre>{@code
 * assertThat(toxics.journal()).proxy("redis").hasConnectionCount(2).allEndedWith(EndReason.RESET_BY_TOXIC);
 * }</pre>
 */
public final class ToxicAssertions {
    private ToxicAssertions() {}

    public static TcpConnectionsAssert assertThat(TcpJournal journal) {
        return new TcpConnectionsAssert(journal == null ? null : journal.connections());
    }

    public static TcpConnectionsAssert assertThat(List<TcpConnectionRecord> connections) {
        return new TcpConnectionsAssert(connections);
    }

    public static TcpConnectionAssert assertThat(TcpConnectionRecord connection) {
        return new TcpConnectionAssert(connection);
    }
}
