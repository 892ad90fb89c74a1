package dev.meshunit.internal.upstream;

import dev.meshunit.config.LoadBalancerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/** Envoy's simple balancers; every random choice comes from the proxy's seeded generator. */
public final class LoadBalancers {
    private LoadBalancers() {}

    public static LoadBalancer of(LoadBalancerSettings settings) {
        if (settings != null && settings.consistentHash() != null) {
            LoadBalancerSettings.ConsistentHash ch = settings.consistentHash();
            Long size = ch.maglev() ? ch.maglevTableSize()
                    : ch.ringHashMinimumRingSize() != null ? ch.ringHashMinimumRingSize() : ch.minimumRingSize();
            return new ConsistentHashBalancer(ch.maglev(), size);
        }
        LoadBalancerSettings.Simple simple = settings == null || settings.simple() == null
                ? LoadBalancerSettings.Simple.UNSPECIFIED
                : settings.simple();
        return switch (simple) {
            case ROUND_ROBIN -> new RoundRobin();
            // There is no original destination to pass through to: the client dialled the proxy, and the
            // endpoints are the ones the ServiceEntry declares. PASSTHROUGH picks among them at random.
            case RANDOM, PASSTHROUGH -> new RandomPick();
            case UNSPECIFIED, LEAST_REQUEST, LEAST_CONN -> new LeastRequest();
        };
    }

    static List<Endpoint> candidates(List<Endpoint> hosts, Set<Endpoint> avoid) {
        if (avoid.isEmpty()) return hosts;
        List<Endpoint> fresh = new ArrayList<>(hosts.size());
        for (Endpoint e : hosts) {
            if (!avoid.contains(e)) fresh.add(e);
        }
        return fresh.isEmpty() ? hosts : fresh;
    }

    /** Weighted round robin: each endpoint appears weight times in the cycle. */
    static final class RoundRobin implements LoadBalancer {
        private final AtomicLong next = new AtomicLong();

        @Override
        public Endpoint choose(List<Endpoint> hosts, Set<Endpoint> avoid, RandomGenerator random, RequestHash hash) {
            List<Endpoint> c = candidates(hosts, avoid);
            int total = 0;
            for (Endpoint e : c) total += e.weight();
            long slot = Math.floorMod(next.getAndIncrement(), total);
            for (Endpoint e : c) {
                slot -= e.weight();
                if (slot < 0) return e;
            }
            return c.get(c.size() - 1);
        }
    }

    /** Uniform (or weight-proportional) random pick. */
    static final class RandomPick implements LoadBalancer {
        @Override
        public Endpoint choose(List<Endpoint> hosts, Set<Endpoint> avoid, RandomGenerator random, RequestHash hash) {
            return weighted(candidates(hosts, avoid), random);
        }
    }

    static Endpoint weighted(List<Endpoint> c, RandomGenerator random) {
        int total = 0;
        for (Endpoint e : c) total += e.weight();
        int r = random.nextInt(total);
        for (Endpoint e : c) {
            r -= e.weight();
            if (r < 0) return e;
        }
        return c.get(c.size() - 1);
    }

    /**
     * Envoy's LEAST_REQUEST with equal weights: the power of two choices, i.e. two random endpoints and the
     * one with fewer active requests. With unequal weights, a weighted pick scaled by 1/(active + 1).
     */
    static final class LeastRequest implements LoadBalancer {
        @Override
        public Endpoint choose(List<Endpoint> hosts, Set<Endpoint> avoid, RandomGenerator random, RequestHash hash) {
            List<Endpoint> c = candidates(hosts, avoid);
            if (c.size() == 1) return c.get(0);
            boolean equalWeights = c.stream().allMatch(e -> e.weight() == c.get(0).weight());
            if (equalWeights) {
                Endpoint a = c.get(random.nextInt(c.size()));
                Endpoint b = c.get(random.nextInt(c.size()));
                return b.activeRequests() < a.activeRequests() ? b : a;
            }
            double total = 0;
            double[] effective = new double[c.size()];
            for (int i = 0; i < c.size(); i++) {
                effective[i] = c.get(i).weight() / (double) (c.get(i).activeRequests() + 1);
                total += effective[i];
            }
            double r = random.nextDouble() * total;
            for (int i = 0; i < c.size(); i++) {
                r -= effective[i];
                if (r < 0) return c.get(i);
            }
            return c.get(c.size() - 1);
        }
    }
}
