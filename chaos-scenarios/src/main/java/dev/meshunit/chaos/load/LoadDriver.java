package dev.meshunit.chaos.load;

import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends a {@link LoadSpec}'s requests at a constant arrival rate (open loop): the n-th request is due at
 * {@code start + n / rate} whether or not earlier ones were answered, and its latency runs from when it was due,
 * so a slow answer cannot hide the requests that would have waited behind it (no coordinated omission).
 */
public final class LoadDriver implements AutoCloseable {
    private final LoadSpec spec;
    private final LoadRecorder recorder = new LoadRecorder();
    private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "meshunit-load");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient client;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Thread pacer;
    private volatile boolean stopped;
    private volatile long startNanos;

    public LoadDriver(LoadSpec spec) {
        this.spec = spec;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.pacer = new Thread(this::pace, "meshunit-load-pacer");
        pacer.setDaemon(true);
    }

    public LoadDriver start() {
        startNanos = System.nanoTime();
        pacer.start();
        return this;
    }

    public LoadRecorder recorder() {
        return recorder;
    }

    public LoadSpec spec() {
        return spec;
    }

    /** Whether the load has sent all it was to send (never, without a duration). */
    public boolean finished() {
        return !pacer.isAlive();
    }

    private void pace() {
        double periodNanos = 1e9 / spec.rate();
        long end = spec.duration() == null ? Long.MAX_VALUE : startNanos + spec.duration().toNanos();
        for (long n = 0; !stopped; n++) {
            long due = startNanos + (long) (n * periodNanos);
            if (due >= end) break;
            long wait;
            while (!stopped && (wait = due - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
            if (stopped) break;
            recorder.due();
            if (inFlight.get() >= spec.maxInFlight()) {
                recorder.ended("overflow", 0);
                continue;
            }
            send(due);
        }
    }

    private void send(long due) {
        HttpRequest.BodyPublisher body = spec.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(spec.body());
        HttpRequest.Builder b = HttpRequest.newBuilder(spec.url()).method(spec.method(), body).timeout(spec.timeout());
        spec.headers().forEach(b::header);
        inFlight.incrementAndGet();
        client.sendAsync(b.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
            inFlight.decrementAndGet();
            long latency = System.nanoTime() - due;
            recorder.ended(r != null ? (r.statusCode() / 100) + "xx" : outcome(e), latency);
        });
    }

    private static String outcome(Throwable e) {
        Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (c instanceof HttpConnectTimeoutException || c instanceof ConnectException) return "connect";
        if (c instanceof HttpTimeoutException) return "timeout";
        return "error";
    }

    /** Stops sending; answers still under way are waited for up to the request timeout. */
    @Override
    public void close() {
        stopped = true;
        LockSupport.unpark(pacer);
        try {
            pacer.join(5_000);
            long deadline = System.nanoTime() + spec.timeout().toNanos() + 1_000_000_000L;
            while (inFlight.get() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
