package dev.meshunit.mirror;

import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.Journal;
import dev.meshunit.journal.RecordedResponse;
import dev.meshunit.journal.RouteRef;
import dev.meshunit.journal.ShadowExchange;
import dev.meshunit.mirror.internal.JsonPaths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Compares the answers of mirrored requests, as Diffy does: the primary's answer against the candidate
 * shadow's, by primary id. Noise is left out in two ways: ignore rules (JSON path patterns, header names),
 * and, when a <em>secondary</em> (a second instance of the primary's version) is mirrored too, every field
 * that differs between primary and secondary on a route is noise on that route (timestamps, random ids).
 * The proxy must record bodies ({@code MeshProxy.Builder.recordBodies}).
 *
 * <pre>{@code
 * ShadowComparison comparison = ShadowComparison.on(proxy.journal())
 *         .candidate(ShadowComparison.subset("v2")).secondary(ShadowComparison.subset("v1b")).build();
 * comparison.awaitShadows(100, Duration.ofSeconds(10));
 * MirrorAssertions.assertThat(comparison.compare()).hasNoDifferences();
 * }</pre>
 */
public final class ShadowComparison {
    private final Journal journal;
    private final Predicate<ShadowExchange> candidate;
    private final Predicate<ShadowExchange> secondary;
    private final List<String> ignoredPaths;
    private final Set<String> ignoredHeaders;
    private final List<String> comparedHeaders;

    private ShadowComparison(Builder b) {
        this.journal = b.journal;
        this.secondary = b.secondary;
        this.candidate = b.candidate != null ? b.candidate : s -> b.secondary == null || !b.secondary.test(s);
        this.ignoredPaths = List.copyOf(b.ignoredPaths);
        this.ignoredHeaders = Set.copyOf(b.ignoredHeaders);
        this.comparedHeaders = List.copyOf(b.comparedHeaders);
    }

    public static Builder on(Journal journal) {
        return new Builder(journal);
    }

    /** Shadows sent to a subset. */
    public static Predicate<ShadowExchange> subset(String subset) {
        return s -> Objects.equals(s.subset(), subset);
    }

    /** Shadows sent to a host (FQDN, or the short name of a service in any namespace). */
    public static Predicate<ShadowExchange> host(String host) {
        return s -> s.destination() != null
                && (s.destination().host().equals(host) || s.destination().host().startsWith(host + "."));
    }

    /**
     * Waits until {@code primaries} mirrored requests have their primary answer and every shadow this
     * comparison reads (candidate, and secondary if set) journalled. Wakes on the journal's notifications,
     * never by polling.
     *
     * @throws AssertionError when the time is up, saying how many were ready
     */
    public void awaitShadows(int primaries, Duration timeout) {
        LinkedBlockingQueue<Boolean> signals = new LinkedBlockingQueue<>();
        Runnable a = journal.shadows().onRecord(s -> signals.offer(Boolean.TRUE));
        Runnable b = journal.onRecord(e -> signals.offer(Boolean.TRUE));
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                signals.clear();
                int ready = ready();
                if (ready >= primaries) return;
                long left = deadline - System.nanoTime();
                if (left <= 0 || signals.poll(left, TimeUnit.NANOSECONDS) == null && System.nanoTime() >= deadline) {
                    throw new AssertionError("waited " + timeout + " for " + primaries + " mirrored exchanges with their "
                            + "shadows; " + ready() + " ready, " + journal.shadows().all().size() + " shadows journalled"
                            + (journal.shadows().all().isEmpty() || anyPrimaryRecorded() ? ""
                                    : "; no primary answer recorded: start the proxy with recordBodies(maxBytes)"));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for shadows", e);
        } finally {
            a.run();
            b.run();
        }
    }

    private int ready() {
        int n = 0;
        for (Map.Entry<Long, List<ShadowExchange>> e : byPrimary(journal.shadows().all()).entrySet()) {
            List<ShadowExchange> s = e.getValue();
            if (journal.shadows().primary(e.getKey()) != null && s.stream().anyMatch(candidate)
                    && (secondary == null || s.stream().anyMatch(secondary))) {
                n++;
            }
        }
        return n;
    }

    private boolean anyPrimaryRecorded() {
        return journal.shadows().all().stream().anyMatch(s -> journal.shadows().primary(s.primaryId()) != null);
    }

    /** Compares what the journal holds now. */
    public ComparisonResult compare() {
        Map<Long, Exchange> exchanges = new HashMap<>();
        for (Exchange e : journal.exchanges()) exchanges.put(e.id(), e);
        Map<Long, List<ShadowExchange>> shadows = byPrimary(journal.shadows().all());
        Map<String, Set<String>> noise = learnNoise(shadows, exchanges);
        List<ComparedExchange> compared = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Map.Entry<Long, List<ShadowExchange>> e : shadows.entrySet()) {
            ShadowExchange c = e.getValue().stream().filter(candidate).findFirst().orElse(null);
            if (c == null) continue;
            RecordedResponse primary = journal.shadows().primary(e.getKey());
            if (!c.sent()) {
                skipped.add(new Skipped(e.getKey(), c.note()));
            } else if (primary == null) {
                skipped.add(new Skipped(e.getKey(), "primary answer not recorded (recordBodies off, or dropped)"));
            } else {
                compared.add(compareOne(exchanges.get(e.getKey()), c, primary, noise));
            }
        }
        List<String> ignoring = new ArrayList<>(ignoredPaths);
        ignoredHeaders.stream().sorted().forEach(h -> ignoring.add("header " + h));
        return new ComparisonResult(compared, skipped, noise, ignoring, summaries(compared));
    }

    private Map<String, Set<String>> learnNoise(Map<Long, List<ShadowExchange>> shadows, Map<Long, Exchange> exchanges) {
        Map<String, Set<String>> noise = new TreeMap<>();
        if (secondary == null) return noise;
        for (Map.Entry<Long, List<ShadowExchange>> e : shadows.entrySet()) {
            ShadowExchange s = e.getValue().stream().filter(secondary).findFirst().orElse(null);
            RecordedResponse primary = journal.shadows().primary(e.getKey());
            if (s == null || primary == null || s.response() == null) continue;
            Set<String> fields = noise.computeIfAbsent(route(exchanges.get(e.getKey())), k -> new LinkedHashSet<>());
            for (Difference d : ResponseDiff.of(primary, s.response(), s.note(), comparedHeaders)) {
                fields.add(JsonPaths.generalize(d.where()));
            }
        }
        return noise;
    }

    private ComparedExchange compareOne(Exchange exchange, ShadowExchange c, RecordedResponse primary,
                                        Map<String, Set<String>> noise) {
        String route = route(exchange);
        Set<String> routeNoise = noise.getOrDefault(route, Set.of());
        List<Difference> real = new ArrayList<>();
        List<Difference> noisy = new ArrayList<>();
        List<Difference> ignored = new ArrayList<>();
        for (Difference d : ResponseDiff.of(primary, c.response(), c.note(), comparedHeaders)) {
            if (ignored(d)) ignored.add(d);
            else if (routeNoise.contains(JsonPaths.generalize(d.where()))) noisy.add(d);
            else real.add(d);
        }
        return new ComparedExchange(c.primaryId(), route, c.method(), c.path(), primary,
                c.status() > 0 ? c.response() : null, c.note(), real, noisy, ignored);
    }

    private boolean ignored(Difference d) {
        if (d.kind() == Difference.Kind.HEADER) return ignoredHeaders.contains(d.where().substring("header ".length()));
        for (String p : ignoredPaths) {
            if (JsonPaths.matches(p, d.where())) return true;
        }
        return false;
    }

    private static Map<String, RouteSummary> summaries(List<ComparedExchange> compared) {
        Map<String, List<ComparedExchange>> byRoute = new TreeMap<>();
        for (ComparedExchange e : compared) byRoute.computeIfAbsent(e.route(), k -> new ArrayList<>()).add(e);
        Map<String, RouteSummary> out = new TreeMap<>();
        byRoute.forEach((route, list) -> {
            Map<String, Integer> byField = new TreeMap<>();
            int different = 0;
            for (ComparedExchange e : list) {
                if (!e.equal()) different++;
                e.differences().stream().map(d -> JsonPaths.generalize(d.where())).distinct()
                        .forEach(f -> byField.merge(f, 1, Integer::sum));
            }
            out.put(route, new RouteSummary(route, list.size(), list.size() - different, different, byField));
        });
        return out;
    }

    private static Map<Long, List<ShadowExchange>> byPrimary(List<ShadowExchange> all) {
        Map<Long, List<ShadowExchange>> out = new TreeMap<>();
        for (ShadowExchange s : all) out.computeIfAbsent(s.primaryId(), k -> new ArrayList<>()).add(s);
        return out;
    }

    /** {@code virtualService/rule}, the rule by its name or as {@code http[index]}. */
    static String route(Exchange e) {
        if (e == null || e.route() == null) return "(unknown)";
        RouteRef r = e.route();
        return r.virtualService() == null ? r.name() : r.virtualService() + "/" + r.name();
    }

    /** Settings of a comparison. */
    public static final class Builder {
        private final Journal journal;
        private Predicate<ShadowExchange> candidate;
        private Predicate<ShadowExchange> secondary;
        private final List<String> ignoredPaths = new ArrayList<>();
        private final Set<String> ignoredHeaders = new LinkedHashSet<>();
        private final List<String> comparedHeaders = new ArrayList<>(List.of("content-type"));

        private Builder(Journal journal) {
            this.journal = Objects.requireNonNull(journal, "journal");
        }

        /** Which shadows are the candidate; by default every shadow that is not the secondary. */
        public Builder candidate(Predicate<ShadowExchange> which) {
            this.candidate = Objects.requireNonNull(which, "candidate");
            return this;
        }

        /** Which shadows are a second instance of the primary's version, to learn the noise from. */
        public Builder secondary(Predicate<ShadowExchange> which) {
            this.secondary = Objects.requireNonNull(which, "secondary");
            return this;
        }

        /** JSON paths left out, with {@code [*]} for any index and {@code *} for any field: {@code $.items[*].id}. */
        public Builder ignoring(String... jsonPaths) {
            for (String p : jsonPaths) {
                if (!p.startsWith("$")) throw new IllegalArgumentException("a JSON path starts with $: " + p);
                ignoredPaths.add(p);
            }
            return this;
        }

        /** Headers left out of the comparison, even when compared. */
        public Builder ignoringHeaders(String... names) {
            for (String n : names) ignoredHeaders.add(n.toLowerCase(Locale.ROOT));
            return this;
        }

        /** The headers compared besides status and body; {@code content-type} unless told otherwise. */
        public Builder comparingHeaders(String... names) {
            comparedHeaders.clear();
            for (String n : names) comparedHeaders.add(n.toLowerCase(Locale.ROOT));
            return this;
        }

        public ShadowComparison build() {
            return new ShadowComparison(this);
        }
    }
}
