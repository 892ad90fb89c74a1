package dev.meshunit.websocket;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The JDK's own WebSocket client, as a user's code has it: collects text messages and the close it got. */
final class WsClient implements WebSocket.Listener {
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final StringBuilder partial = new StringBuilder();
    final java.util.concurrent.atomic.AtomicLong binaryBytes = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean paused;
    private volatile WebSocket held;

    /** Stops asking for messages: the JDK client then stops reading its socket. */
    void pause() {
        paused = true;
    }

    void resume() {
        paused = false;
        WebSocket ws = held;
        if (ws != null) ws.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, java.nio.ByteBuffer data, boolean last) {
        binaryBytes.addAndGet(data.remaining());
        if (paused) {
            held = ws;
        } else {
            ws.request(1);
        }
        return null;
    }

    /** Opens {@code ws://127.0.0.1:port/path}; completes with the open WebSocket or the handshake's failure. */
    CompletableFuture<WebSocket> open(int port, String path) {
        return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + path), this);
    }

    String next() throws InterruptedException {
        String m = messages.poll(10, TimeUnit.SECONDS);
        if (m == null) throw new AssertionError("no message within 10 s");
        return m;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(partial.toString());
            partial.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        closed.completeExceptionally(error);
    }
}
