package dev.meshunit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshunit.chaos.load.LoadSpec;
import dev.meshunit.config.load.internal.Durations;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A load from {@code meshunit load}'s flags or from an experiment's {@code meshunit} extension block. */
final class LoadSettings {
    private LoadSettings() {}

    static LoadSpec fromFlags(Options o) throws UsageException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h : o.all("--header")) {
            int colon = h.indexOf(':');
            if (colon <= 0) throw new UsageException("--header must look like 'Name: value', was '" + h + "'");
            headers.put(h.substring(0, colon).strip(), h.substring(colon + 1).strip());
        }
        return spec(uri("--url", o.required("--url").get(0)), o.value("--method"), headers, o.value("--body"),
                rate("--rate", o.required("--rate").get(0)), duration("--duration", o.value("--duration")),
                duration("--timeout", o.value("--timeout")), inFlight("--max-in-flight", o.value("--max-in-flight")));
    }

    /** {@code load: {url, rate, method, headers, body, duration, timeout, maxInFlight}}; durations "30s" or seconds. */
    static LoadSpec fromExtension(JsonNode load, String where) throws UsageException {
        if (load.path("url").asText("").isBlank()) throw new UsageException(where + ".url: required");
        if (!load.path("rate").isNumber()) throw new UsageException(where + ".rate: required, requests a second");
        Map<String, String> headers = new LinkedHashMap<>();
        load.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
        return spec(uri(where + ".url", load.get("url").asText()), load.path("method").asText(null), headers,
                load.path("body").asText(null), load.get("rate").asDouble(), duration(where + ".duration", text(load.get("duration"))),
                duration(where + ".timeout", text(load.get("timeout"))),
                inFlight(where + ".maxInFlight", text(load.get("maxInFlight"))));
    }

    private static LoadSpec spec(URI url, String method, Map<String, String> headers, String body, double rate,
            Duration duration, Duration timeout, int maxInFlight) throws UsageException {
        try {
            return new LoadSpec(url, method, headers, body, rate, duration, timeout, maxInFlight);
        } catch (IllegalArgumentException e) {
            throw new UsageException("load: " + e.getMessage());
        }
    }

    private static String text(JsonNode n) {
        if (n == null || n.isNull()) return null;
        return n.isNumber() ? n.asText() + "s" : n.asText();
    }

    static URI uri(String flag, String v) throws UsageException {
        try {
            URI u = URI.create(v);
            if (u.getScheme() == null || !List.of("http", "https").contains(u.getScheme()) || u.getHost() == null) {
                throw new IllegalArgumentException("not an http:// or https:// URL");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new UsageException(flag + " " + v + ": " + e.getMessage());
        }
    }

    private static double rate(String flag, String v) throws UsageException {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " must be a number of requests a second, was '" + v + "'");
        }
    }

    static Duration duration(String flag, String v) throws UsageException {
        if (v == null) return null;
        try {
            Duration d = Durations.parse(v.matches("\\d+(\\.\\d+)?") ? v + "s" : v);
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("must be more than 0");
            return d;
        } catch (IllegalArgumentException e) {
            throw new UsageException(flag + " must be a duration such as 30s, 500ms or 2m, was '" + v + "'");
        }
    }

    private static int inFlight(String flag, String v) throws UsageException {
        if (v == null) return 1000;
        try {
            int n = Integer.parseInt(v.replaceAll("s$", ""));
            if (n < 1) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " must be a whole number >= 1, was '" + v + "'");
        }
    }
}
