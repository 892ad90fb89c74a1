package dev.meshunit.journal;

/**
 * The writing side of a {@link Journal}: the proxy records through it, a test reads the journal it fills.
 * Tests that need a journal of their own (to try a report or an assertion on known exchanges) fill one here.
 * Thread-safe.
 */
public final class JournalWriter {
    private final Journal journal;

    /** A writer for a new journal that keeps {@code capacity} exchanges in detail and reports {@code seed}. */
    public JournalWriter(int capacity, long seed) {
        this(capacity, seed, JournalLimits.DEFAULT);
    }

    /** A journal bounded in bytes as well as in count. */
    public JournalWriter(int capacity, long seed, JournalLimits limits) {
        this.journal = new Journal(capacity, seed, limits);
    }

    /** The journal this writer fills, for reading. */
    public Journal journal() {
        return journal;
    }

    /** The id of the next exchange or connection; ids are unique and increase. */
    public long nextId() {
        return journal.nextId();
    }

    public void record(Exchange exchange) {
        journal.record(exchange);
    }

    /** What an outlier detector decided; kept up to the journal's capacity, oldest dropped first. */
    public void recordEvent(OutlierEvent event) {
        journal.recordEvent(event);
    }

    /** A mirrored copy, once it ended or was not sent. */
    public void recordShadow(ShadowExchange shadow) {
        journal.shadows().record(shadow);
    }

    /** The primary's answer to a mirrored request (only when bodies are recorded). */
    public void recordPrimary(long exchangeId, RecordedResponse response) {
        journal.shadows().recordPrimary(exchangeId, response);
    }

    /** A proxied TCP connection, once it closed. */
    public void recordConnection(Connection connection) {
        journal.connections().record(connection);
    }
}
