package dev.meshunit.internal.router;

import dev.meshunit.internal.http.HeaderMap;
import dev.meshunit.internal.upstream.Endpoint;
import io.netty.buffer.ByteBuf;

/**
 * One attempt of a request against one endpoint (Envoy's UpstreamRequest), as the router sees it: whatever
 * the upstream codec, it sends a head and body and reports through {@link AttemptCallbacks}.
 */
public interface Attempt {
    /** Takes the cluster's request slot and a connection; reports from here on. */
    void start();

    Endpoint endpoint();

    /** 1 for the first attempt, 2 for the first retry... */
    int number();

    /** Whether it holds a connection and has not ended. */
    boolean connected();

    boolean responseStarted();

    /** Whether it runs on a pooled keep-alive connection, which the endpoint may have closed meanwhile. */
    boolean reused();

    void sendHeaders(String method, String uri, HeaderMap headers);

    /** Takes {@code data}; the last piece may carry trailers. */
    void sendData(ByteBuf data, boolean endStream, HeaderMap trailers);

    void flush();

    boolean writable();

    /** Stops (false) or resumes (true) reading the answer, for the client's back-pressure. */
    void readAnswer(boolean on);

    /** Ends the attempt with a per-try timeout unless a response head arrives within {@code millis}. */
    void startPerTryTimer(long millis);

    /** The answer was passed on whole: the connection may serve another request. */
    void complete();

    /** Abandons the attempt and its connection. */
    void reset();

    /** The route timeout ended it: one still waiting for its answer counts for outlier detection. */
    void timedOut();

    /**
     * After a 101 to an upgrade request: ends the attempt and hands its connection over, out of the pool (it
     * still counts against {@code maxConnections} until it closes). Null when the codec cannot upgrade.
     */
    default io.netty.channel.Channel upgraded() {
        return null;
    }

    /** Time since the attempt started, on the proxy's clock. */
    double elapsedMs();
}
