package dev.meshunit.assertj.internal;

import dev.meshunit.fault.CallKey;
import dev.meshunit.journal.Exchange;
import dev.meshunit.routing.RequestView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups exchanges into the caller's logical calls: requests with the same {@link CallKey}, up to and including
 * the first one that succeeded. A request without a key is a call of its own.
 */
public final class Calls {
    private Calls() {}

    /** One logical call: its requests, oldest first. */
    public record Call(String key, List<Exchange> requests) {
        /** Tries that reached the proxy or an upstream: the requests, plus the proxy's own retries of them. */
        public int tries() {
            return requests.stream().mapToInt(e -> Math.max(1, e.attempts().size())).sum();
        }

        public int retries() {
            return tries() - 1;
        }
    }

    public static List<Call> of(List<Exchange> exchanges, CallKey key) {
        List<Call> done = new ArrayList<>();
        Map<String, List<Exchange>> open = new LinkedHashMap<>();
        for (Exchange e : byStart(exchanges)) {
            String k = key.of(view(e));
            if (k == null) {
                done.add(new Call("#" + e.id(), List.of(e)));
                continue;
            }
            List<Exchange> requests = open.computeIfAbsent(k, x -> new ArrayList<>());
            requests.add(e);
            if (succeeded(e)) done.add(new Call(k, List.copyOf(open.remove(k))));
        }
        open.forEach((k, requests) -> done.add(new Call(k, List.copyOf(requests))));
        done.sort((a, b) -> a.requests().get(0).start().compareTo(b.requests().get(0).start()));
        return done;
    }

    /**
     * An answer a client would not retry: 1xx-4xx except 408 and 429; for a gRPC call (one whose answer carried a
     * {@code grpc-status}), any status but the transient ones a retry policy names ({@link #GRPC_TRANSIENT}).
     */
    public static boolean succeeded(Exchange e) {
        if (e.downstreamGaveUp()) return false;
        if (e.grpcStatus() != null) return !GRPC_TRANSIENT.contains(e.grpcStatusName());
        return e.status() > 0 && e.status() < 500 && e.status() != 408 && e.status() != 429;
    }

    /**
     * gRPC statuses that mean "try again": those of Envoy's gRPC retryOn conditions, plus UNKNOWN, ABORTED and
     * DATA_LOSS, which clients' retry policies name too.
     */
    static final java.util.Set<String> GRPC_TRANSIENT = java.util.Set.of("CANCELLED", "UNKNOWN", "DEADLINE_EXCEEDED",
            "RESOURCE_EXHAUSTED", "ABORTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS");

    public static List<Exchange> byStart(List<Exchange> exchanges) {
        List<Exchange> sorted = new ArrayList<>(exchanges);
        sorted.sort((a, b) -> a.start().compareTo(b.start()));
        return sorted;
    }

    public static Instant end(Exchange e) {
        return e.start().plusNanos(Math.round(e.durationMs() * 1_000_000));
    }

    /** The request head of an exchange, as the fault filter saw it. */
    static RequestView view(Exchange e) {
        return new RequestView() {
            @Override
            public String method() {
                return e.method();
            }

            @Override
            public String scheme() {
                return "http";
            }

            @Override
            public String path() {
                String p = e.path() == null ? "" : e.path();
                int q = p.indexOf('?');
                return q < 0 ? p : p.substring(0, q);
            }

            @Override
            public List<String> queryParam(String name) {
                return List.of();
            }

            @Override
            public String header(String name) {
                return e.requestHeader(name);
            }

            @Override
            public String authority() {
                return e.authority();
            }

            @Override
            public int port() {
                return e.destination() == null ? 0 : e.destination().port();
            }
        };
    }
}
