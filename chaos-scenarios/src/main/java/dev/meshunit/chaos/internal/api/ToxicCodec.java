package dev.meshunit.chaos.internal.api;

import dev.meshunit.chaos.ChaosException;
import dev.meshunit.chaos.Toxic;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Toxic attributes to and from Toxiproxy's attribute maps: every attribute always present, zeros included. Public for
 * the admin API's toxics under the sidecar, which take the same JSON.
 */
public final class ToxicCodec {
    private ToxicCodec() {
    }

    public static Map<String, Long> attributes(Toxic toxic) {
        Map<String, Long> map = new LinkedHashMap<>();
        if (toxic instanceof Toxic.Latency t) {
            map.put("latency", t.latency());
            map.put("jitter", t.jitter());
        } else if (toxic instanceof Toxic.Bandwidth t) {
            map.put("rate", t.rate());
        } else if (toxic instanceof Toxic.SlowClose t) {
            map.put("delay", t.delay());
        } else if (toxic instanceof Toxic.Timeout t) {
            map.put("timeout", t.timeout());
        } else if (toxic instanceof Toxic.ResetPeer t) {
            map.put("timeout", t.timeout());
        } else if (toxic instanceof Toxic.Slicer t) {
            map.put("average_size", t.averageSize());
            map.put("size_variation", t.sizeVariation());
            map.put("delay", t.delay());
        } else if (toxic instanceof Toxic.LimitData t) {
            map.put("bytes", t.bytes());
        }
        return map;
    }

    /** Builds a toxic of {@code type}; missing attributes are 0, as Go's zero values. */
    public static Toxic toxic(String type, Map<String, Long> attributes) {
        try {
            return switch (type == null ? "" : type) {
                case "latency" -> new Toxic.Latency(get(attributes, "latency"), get(attributes, "jitter"));
                case "bandwidth" -> new Toxic.Bandwidth(get(attributes, "rate"));
                case "slow_close" -> new Toxic.SlowClose(get(attributes, "delay"));
                case "timeout" -> new Toxic.Timeout(get(attributes, "timeout"));
                case "reset_peer" -> new Toxic.ResetPeer(get(attributes, "timeout"));
                case "slicer" -> new Toxic.Slicer(
                        get(attributes, "average_size"), get(attributes, "size_variation"), get(attributes, "delay"));
                case "limit_data" -> new Toxic.LimitData(get(attributes, "bytes"));
                default -> throw ChaosException.badRequest("invalid toxic type");
            };
        } catch (IllegalArgumentException e) {
            throw ChaosException.badRequest("bad request body: " + e.getMessage());
        }
    }

    private static long get(Map<String, Long> attributes, String name) {
        return attributes.getOrDefault(name, 0L);
    }
}
