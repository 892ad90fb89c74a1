package dev.meshunit.internal.router;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** Envoy's retry conditions, parsed from Istio's comma-separated {@code retryOn}. */
public enum RetryOn {
    FIVE_XX("5xx"),
    GATEWAY_ERROR("gateway-error"),
    RESET("reset"),
    RESET_BEFORE_REQUEST("reset-before-request"),
    CONNECT_FAILURE("connect-failure"),
    RETRIABLE_4XX("retriable-4xx"),
    REFUSED_STREAM("refused-stream"),
    RETRIABLE_STATUS_CODES("retriable-status-codes"),
    RETRIABLE_HEADERS("retriable-headers"),
    ENVOY_RATELIMITED("envoy-ratelimited"),
    HTTP3_POST_CONNECT_FAILURE("http3-post-connect-failure"),
    GRPC_CANCELLED("cancelled"),
    GRPC_DEADLINE_EXCEEDED("deadline-exceeded"),
    GRPC_INTERNAL("internal"),
    GRPC_RESOURCE_EXHAUSTED("resource-exhausted"),
    GRPC_UNAVAILABLE("unavailable");

    private final String token;

    RetryOn(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    public static RetryOn fromToken(String token) {
        String t = token.trim().toLowerCase(Locale.ROOT);
        for (RetryOn r : values()) {
            if (r.token.equals(t)) return r;
        }
        return null;
    }

    /** The conditions and status codes of a retryOn string; integers become retriable status codes. */
    public record Parsed(Set<RetryOn> conditions, Set<Integer> statusCodes) {}

    public static Parsed parse(String retryOn) {
        EnumSet<RetryOn> conditions = EnumSet.noneOf(RetryOn.class);
        Set<Integer> codes = new TreeSet<>();
        if (retryOn != null) {
            for (String part : retryOn.split(",")) {
                if (part.isBlank()) continue;
                String p = part.trim();
                if (p.chars().allMatch(Character::isDigit)) {
                    codes.add(Integer.parseInt(p));
                    conditions.add(RETRIABLE_STATUS_CODES);
                } else {
                    RetryOn r = fromToken(p);
                    if (r == null) throw new IllegalArgumentException("unknown retryOn condition \"" + p + "\"");
                    conditions.add(r);
                }
            }
        }
        return new Parsed(Set.copyOf(conditions), Set.copyOf(codes));
    }
}
