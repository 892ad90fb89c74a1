package dev.meshunit.journal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The journal's retained exchanges, oldest first, packed as bytes into a few reused 64 KiB chunks instead of kept
 * as objects. Why: a full journal is the proxy's whole live heap under load, and every young collection used to
 * copy the exchanges recorded since the one before (about twenty objects each); arrays of bytes that live as long
 * as the journal are copied to the old generation once and then never scanned again. Reading unpacks. Not
 * thread-safe: the journal's lock guards it.
 */
final class PackedExchanges {
    static final int CHUNK_BYTES = 64 * 1024;
    private static final int SPARE_CHUNKS = 4; // emptied chunks kept for reuse; more go back to the heap

    /** A run of packed exchanges; {@code live} counts those still retained. */
    private static final class Chunk {
        final byte[] bytes;
        int used;
        int live;

        Chunk(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    private final Packing.Writer writer = new Packing.Writer();
    private final ArrayDeque<Chunk> spare = new ArrayDeque<>();
    private Chunk current;
    // A ring of (chunk, offset, estimate) per retained exchange, oldest at head.
    private Chunk[] chunks = new Chunk[64];
    private int[] offsets = new int[64];
    private long[] estimates = new long[64];
    private int head;
    private int size;
    private long allocated;

    int size() {
        return size;
    }

    /** Packs and retains the exchange, with the byte estimate the journal's budget counts for it. */
    void addLast(Exchange e, long estimate) {
        Chunk chunk = current;
        int offset = chunk == null ? -1 : pack(e, chunk);
        int length;
        if (offset >= 0) {
            length = writer.position() - offset;
        } else { // the current chunk is full (once per chunk): pack apart to learn the size, then place it
            byte[] packed = packAlone(e, estimate);
            length = packed.length;
            offset = 0;
            if (length > CHUNK_BYTES / 4) { // big (recorded bodies): an array of its own, so no chunk loses its end
                chunk = new Chunk(packed);
                allocated++;
            } else {
                chunk = freshChunk();
                System.arraycopy(packed, 0, chunk.bytes, 0, length);
                chunk.used = length;
                retire(current);
                current = chunk;
            }
        }
        chunk.live++;
        if (size == chunks.length) grow();
        int at = (head + size) % chunks.length;
        chunks[at] = chunk;
        offsets[at] = offset;
        estimates[at] = estimate;
        size++;
    }

    /** Forgets the oldest exchange; its estimate. */
    long removeFirst() {
        if (size == 0) throw new IllegalStateException("empty");
        Chunk chunk = chunks[head];
        long estimate = estimates[head];
        chunks[head] = null;
        head = (head + 1) % chunks.length;
        size--;
        if (--chunk.live == 0) {
            if (chunk == current) {
                chunk.used = 0;
            } else {
                retire(chunk);
            }
        }
        return estimate;
    }

    /** The exchange {@code i} places after the oldest, unpacked. */
    Exchange get(int i) {
        int at = (head + i) % chunks.length;
        return ExchangePacking.unpack(chunks[at].bytes, offsets[at]);
    }

    /** Chunks made so far (a test checks that emptied ones are reused). */
    long chunksAllocated() {
        return allocated;
    }

    /** Every retained exchange, unpacked (for tests). */
    List<Exchange> all() {
        List<Exchange> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) out.add(get(i));
        return out;
    }

    void clear() {
        while (size > 0) removeFirst();
        writer.release();
        head = 0;
        spare.clear();
        current = null;
        if (chunks.length > 64) {
            chunks = new Chunk[64];
            offsets = new int[64];
            estimates = new long[64];
        }
    }

    /** Packs into the chunk's free end; the offset, or -1 when it did not fit. */
    private int pack(Exchange e, Chunk chunk) {
        int from = chunk.used;
        writer.reset(chunk.bytes, from, chunk.bytes.length);
        ExchangePacking.pack(e, writer);
        if (writer.overflow()) return -1;
        chunk.used = writer.position();
        return from;
    }

    /**
     * The exchange's bytes, exactly. The heap estimate is above the packed size but for strings of Latin-1 letters
     * (two bytes each here), so one pass nearly always does; the writer lets go of the scratch array after.
     */
    private byte[] packAlone(Exchange e, long estimate) {
        try {
            for (long size = Math.max(4096, estimate + 256); ; size *= 2) {
                if (size > Integer.MAX_VALUE - 16) throw new IllegalStateException("an exchange of over 2 GiB packed");
                byte[] scratch = new byte[(int) size];
                writer.reset(scratch, 0, scratch.length);
                ExchangePacking.pack(e, writer);
                if (!writer.overflow()) return Arrays.copyOf(scratch, writer.position());
            }
        } finally {
            writer.release();
        }
    }

    private Chunk freshChunk() {
        Chunk reused = spare.pollFirst();
        if (reused != null) return reused;
        allocated++;
        return new Chunk(new byte[CHUNK_BYTES]);
    }

    /** A chunk no longer written to: back to the spares once nothing in it is retained. */
    private void retire(Chunk chunk) {
        if (chunk == null || chunk.live > 0 || chunk.bytes.length != CHUNK_BYTES) return;
        chunk.used = 0;
        if (spare.size() < SPARE_CHUNKS) spare.addLast(chunk);
    }

    private void grow() {
        int n = chunks.length;
        Chunk[] c = new Chunk[n * 2];
        int[] o = new int[n * 2];
        long[] s = new long[n * 2];
        for (int i = 0; i < size; i++) {
            int from = (head + i) % n;
            c[i] = chunks[from];
            o[i] = offsets[from];
            s[i] = estimates[from];
        }
        chunks = c;
        offsets = o;
        estimates = s;
        head = 0;
    }
}
