package dev.meshunit.internal.http;

import io.netty.buffer.ByteBuf;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * The request body a stream has read: kept whole for retries up to {@code maxBufferedBytes}; past that it
 * is no longer replayable, and each piece is given up once it was sent. The router sends from it with a
 * cursor that a new attempt rewinds. Confined to the stream's event loop; owns its buffers.
 */
public final class RequestBody {
    /** A piece of the body; the last one carries the trailers, if any. */
    public record Chunk(ByteBuf data, boolean last, HeaderMap trailers) {}

    private final int maxBufferedBytes;
    private final List<Chunk> chunks = new ArrayList<>();
    private long bytes;
    private int sent;
    private boolean complete;
    private boolean replayable = true;

    public RequestBody(int maxBufferedBytes) {
        this.maxBufferedBytes = maxBufferedBytes;
    }

    /** Takes ownership of {@code data}. */
    public void append(ByteBuf data, boolean last, HeaderMap trailers) {
        chunks.add(new Chunk(data, last, trailers));
        bytes += data.readableBytes();
        if (last) complete = true;
        if (replayable && bytes > maxBufferedBytes) {
            replayable = false;
            for (int i = 0; i < sent; i++) chunks.get(i).data().release();
            chunks.subList(0, sent).clear();
            sent = 0;
        }
    }

    public boolean complete() {
        return complete;
    }

    public boolean replayable() {
        return replayable;
    }

    /** Body bytes read so far. */
    public long bytes() {
        return bytes;
    }

    /** Bytes held and not yet sent: over the bound, reading should wait. */
    public boolean overBound() {
        long held = 0;
        for (int i = sent; i < chunks.size(); i++) held += chunks.get(i).data().readableBytes();
        return held > maxBufferedBytes;
    }

    /** The pieces read so far, for a filter that copies them (a mirror); not owned. */
    public List<Chunk> chunks() {
        return chunks;
    }

    /**
     * Hands each piece not yet sent to {@code sink}: a retained duplicate while the body is replayable, the piece
     * itself (given up here) once it is not.
     */
    public void sendUnsent(Consumer<Chunk> sink) {
        for (int i = sent; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            sink.accept(replayable ? new Chunk(c.data().retainedDuplicate(), c.last(), c.trailers()) : c);
        }
        sent = chunks.size();
        if (!replayable) {
            chunks.clear();
            sent = 0;
        }
    }

    /** A new attempt sends the whole body again. */
    public void rewind() {
        sent = 0;
    }

    /** The SHA-256 of the whole body in hex, or null when it is not complete or not kept. */
    public String digest() {
        if (!complete || !replayable) return null;
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Chunk c : chunks) sha.update(c.data().nioBuffer());
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void release() {
        for (Chunk c : chunks) c.data().release();
        chunks.clear();
        sent = 0;
    }
}
