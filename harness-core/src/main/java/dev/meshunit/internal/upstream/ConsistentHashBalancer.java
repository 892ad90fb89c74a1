package dev.meshunit.internal.upstream;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Envoy's RING_HASH and MAGLEV balancers: the request's hash picks a host from a table built over the
 * healthy hosts (rebuilt when they change, e.g. on an ejection). Hosts are placed by the XXH64 of their
 * address, so a table depends only on the hosts, and adding one moves a minority of keys. Earlier
 * attempts' hosts are not avoided (Istio sets no previous-hosts predicate for consistent hashing); a
 * request without a key gets a random host.
 */
final class ConsistentHashBalancer implements LoadBalancer {
    static final long DEFAULT_MIN_RING_SIZE = 1024;
    static final long MAX_RING_SIZE = 8L * 1024 * 1024;
    static final long DEFAULT_MAGLEV_TABLE_SIZE = 65537;

    private final boolean maglev;
    private final long size;
    private volatile Table table;

    ConsistentHashBalancer(boolean maglev, Long size) {
        this.maglev = maglev;
        long dflt = maglev ? DEFAULT_MAGLEV_TABLE_SIZE : DEFAULT_MIN_RING_SIZE;
        this.size = size == null || size <= 0 ? dflt : Math.min(size, MAX_RING_SIZE);
    }

    @Override
    public Endpoint choose(List<Endpoint> hosts, Set<Endpoint> avoid, RandomGenerator random, RequestHash hash) {
        if (!hash.present()) return LoadBalancers.weighted(hosts, random);
        Table t = table;
        if (t == null || !t.hosts().equals(hosts)) {
            t = maglev ? Maglev.build(hosts, size) : Ring.build(hosts, size);
            table = t;
        }
        return t.pick(hash.value());
    }

    private sealed interface Table permits Ring, Maglev {
        List<Endpoint> hosts();

        Endpoint pick(long hash);
    }

    /** Each host owns points on a ring in proportion to its weight; a key goes to the next point clockwise. */
    private record Ring(List<Endpoint> hosts, long[] points, Endpoint[] owners) implements Table {
        static Ring build(List<Endpoint> hosts, long minRingSize) {
            double total = 0;
            double minWeight = Double.MAX_VALUE;
            for (Endpoint e : hosts) {
                total += e.weight();
                minWeight = Math.min(minWeight, e.weight());
            }
            double minNormalized = minWeight / total;
            double scale = Math.min(Math.ceil(minNormalized * minRingSize) / minNormalized, MAX_RING_SIZE);
            int n = (int) Math.ceil(scale) + hosts.size();
            long[][] entries = new long[n][];
            int count = 0;
            double target = 0;
            for (int h = 0; h < hosts.size(); h++) {
                Endpoint e = hosts.get(h);
                target += scale * e.weight() / total;
                for (int i = 0; count < target && count < n; i++) {
                    entries[count++] = new long[] {XxHash64.hash(e.id() + "_" + i, 0), h};
                }
            }
            long[][] used = Arrays.copyOf(entries, count);
            Arrays.sort(used, (a, b) -> Long.compareUnsigned(a[0], b[0]));
            long[] points = new long[count];
            Endpoint[] owners = new Endpoint[count];
            for (int i = 0; i < count; i++) {
                points[i] = used[i][0];
                owners[i] = hosts.get((int) used[i][1]);
            }
            return new Ring(List.copyOf(hosts), points, owners);
        }

        @Override
        public Endpoint pick(long hash) {
            int lo = 0;
            int hi = points.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (Long.compareUnsigned(points[mid], hash) < 0) lo = mid + 1;
                else hi = mid;
            }
            return owners[lo == points.length ? 0 : lo];
        }
    }

    /** Google's Maglev lookup table, with Envoy's weighting: a host fills slots in proportion to its weight. */
    private record Maglev(List<Endpoint> hosts, Endpoint[] slots) implements Table {
        static Maglev build(List<Endpoint> hosts, long tableSize) {
            int m = (int) tableSize;
            Endpoint[] slots = new Endpoint[m];
            int k = hosts.size();
            long[] offset = new long[k];
            long[] skip = new long[k];
            long[] next = new long[k];
            double[] weight = new double[k];
            double[] targetWeight = new double[k];
            double total = 0;
            for (Endpoint e : hosts) total += e.weight();
            double maxWeight = 0;
            for (int i = 0; i < k; i++) {
                String id = hosts.get(i).id();
                offset[i] = Long.remainderUnsigned(XxHash64.hash(id, 0), m);
                skip[i] = Long.remainderUnsigned(XxHash64.hash(id, 1), m - 1) + 1;
                weight[i] = hosts.get(i).weight() / total;
                maxWeight = Math.max(maxWeight, weight[i]);
            }
            int filled = 0;
            for (long iteration = 1; filled < m; iteration++) {
                for (int i = 0; i < k && filled < m; i++) {
                    if (iteration * weight[i] < targetWeight[i]) continue;
                    targetWeight[i] += maxWeight;
                    int c = (int) ((offset[i] + skip[i] * next[i]) % m);
                    while (slots[c] != null) {
                        next[i]++;
                        c = (int) ((offset[i] + skip[i] * next[i]) % m);
                    }
                    slots[c] = hosts.get(i);
                    next[i]++;
                    filled++;
                }
            }
            return new Maglev(List.copyOf(hosts), slots);
        }

        @Override
        public Endpoint pick(long hash) {
            return slots[(int) Long.remainderUnsigned(hash, slots.length)];
        }
    }
}
