package dev.meshunit.junit;

import dev.meshunit.junit.internal.stub.StubScript;
import dev.meshunit.junit.internal.stub.StubServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fast HTTP/1.1 server on 127.0.0.1 at a free port that stands for one service (or one subset of it) in a
 * test: scripted answers per path, delays, and every request recorded as it arrived. In one line, next to
 * {@link MeshTest}:
 *
 * <pre>{@code @Backend("reviews-v1") static final StubBackend V1 = StubBackend.start("v1");}</pre>
 *
 * answers {@code 200 v1} to everything; the extension binds its port and closes it when the class ends.
 * Script it with {@link #answer(String, StubAnswer...)}: the answers of the longest matching path prefix are
 * given in order, the last one repeated. Every answer carries header {@value StubServer#LABEL_HEADER} with the
 * label, so a test (or a human reading a journal) sees which backend answered. Thread-safe.
 */
public final class StubBackend implements AutoCloseable {
    private final String label;
    private final StubScript script;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final StubServer server;

    private StubBackend(Builder b) {
        this.label = b.label;
        this.script = new StubScript(b.fallback != null ? b.fallback : StubAnswer.ok(label == null ? "" : label));
        b.scripts.forEach(script::script);
        this.server = new StubServer(b.bindHost, b.port, script, label, requests::add);
    }

    /** A backend labelled {@code label} that answers {@code 200} with the label as its body to every request. */
    public static StubBackend start(String label) {
        return builder().label(label).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * From now on, requests whose path starts with {@code pathPrefix} get these answers in order, the last one
     * repeated (its count starts again). Replaces an earlier script of the same prefix.
     */
    public StubBackend answer(String pathPrefix, StubAnswer... answers) {
        script.script(pathPrefix, List.of(answers));
        return this;
    }

    /** What requests no script covers get. */
    public StubBackend otherwise(StubAnswer answer) {
        script.fallback(Objects.requireNonNull(answer, "answer"));
        return this;
    }

    /** Forgets the requests received and every path script; the fallback answer stays. */
    public StubBackend reset() {
        requests.clear();
        script.clear();
        return this;
    }

    /** Every request received, oldest first. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** The requests whose path starts with {@code pathPrefix}. */
    public List<RecordedRequest> requests(String pathPrefix) {
        return requests.stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
    }

    public int requestCount() {
        return requests.size();
    }

    /** The latest request, or an {@link AssertionError} when none came. */
    public RecordedRequest lastRequest() {
        List<RecordedRequest> all = requests();
        if (all.isEmpty()) throw new AssertionError("backend " + this + " received no request");
        return all.get(all.size() - 1);
    }

    public String label() {
        return label;
    }

    public InetSocketAddress address() {
        return server.address();
    }

    public int port() {
        return server.address().getPort();
    }

    /** {@code http://127.0.0.1:port}: for a client that calls the backend directly, without the proxy. */
    public URI uri() {
        return URI.create("http://" + address().getHostString() + ":" + port());
    }

    /** Closes the listener and every connection; idempotent. */
    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return (label == null ? "stub" : label) + "@" + address().getHostString() + ":" + port();
    }

    /** Settings of a backend before it starts. */
    public static final class Builder {
        private String label;
        private String bindHost = "127.0.0.1";
        private int port;
        private StubAnswer fallback;
        private final Map<String, List<StubAnswer>> scripts = new java.util.LinkedHashMap<>();

        private Builder() {}

        /** The subset (or version) it stands for: the default body, and header {@value StubServer#LABEL_HEADER}. */
        public Builder label(String label) {
            this.label = Objects.requireNonNull(label, "label");
            return this;
        }

        /** As {@link StubBackend#answer(String, StubAnswer...)}, before the backend starts. */
        public Builder answer(String pathPrefix, StubAnswer... answers) {
            scripts.put(pathPrefix, new ArrayList<>(List.of(answers)));
            return this;
        }

        /** What requests no script covers get; {@code 200} with the label as body unless told otherwise. */
        public Builder otherwise(StubAnswer answer) {
            this.fallback = Objects.requireNonNull(answer, "answer");
            return this;
        }

        /** Every answer waits this long (a slow service); per answer with {@link StubAnswer#withDelay}. */
        public Builder delay(Duration delay) {
            this.fallback = (fallback != null ? fallback : StubAnswer.ok(label == null ? "" : label)).withDelay(delay);
            return this;
        }

        /** 127.0.0.1 unless told otherwise (e.g. for a container that calls back into the test JVM). */
        public Builder bindHost(String host) {
            this.bindHost = Objects.requireNonNull(host, "host");
            return this;
        }

        /** 0 (the default) picks a free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public StubBackend start() {
            return new StubBackend(this);
        }
    }
}
