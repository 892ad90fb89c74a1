package dev.meshunit.junit.internal;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.chaos.ChaosException;
import dev.meshunit.chaos.Direction;
import dev.meshunit.chaos.SidecarToxics;
import dev.meshunit.chaos.Toxic;
import dev.meshunit.chaos.ToxicSpec;
import dev.meshunit.junit.InjectToxic;
import dev.meshunit.junit.Mesh;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * {@link InjectToxic} and {@code mesh.toxics()}: the class of the extension that touches {@code meshunit-chaos} (an
 * optional dependency), loaded only once {@link ToxicsWanted} found that a test asks for toxics and chaos is there.
 */
public final class SidecarToxicsSupport {
    private SidecarToxicsSupport() {}

    /** Starts the proxy with toxic proxies under its upstream connections, on its seed and virtual time. */
    public static Mesh start(MeshProxy.Builder builder, IstioConfig config, MeshSettings settings) {
        AtomicReference<MeshProxy> proxy = new AtomicReference<>();
        SidecarToxics.Builder toxics = SidecarToxics.builder().seed(settings.seed())
                .config(() -> proxy.get() == null ? config : proxy.get().config());
        if (settings.virtualTime() != null) toxics.virtualTime(settings.virtualTime());
        SidecarToxics built = toxics.build();
        try {
            proxy.set(builder.upstreamVia(built).start());
        } catch (RuntimeException e) {
            built.close();
            throw e;
        }
        return new Mesh(proxy.get(), built);
    }

    /** Adds the toxics an element declares; a host or subset the config does not declare fails naming the nearest. */
    public static void add(AnnotatedElement element, Mesh mesh) {
        for (InjectToxic t : AnnotationSupport.findRepeatableAnnotations(element, InjectToxic.class)) {
            String where = "@InjectToxic(host = \"" + t.host() + "\") on " + name(element);
            try {
                mesh.toxics().add(t.host(), t.subset().isEmpty() ? null : t.subset(), spec(t));
            } catch (IllegalArgumentException | ChaosException e) {
                throw new ExtensionConfigurationException(where + ": " + e.getMessage(), e);
            }
        }
    }

    /** After each test: no toxic is left for the next one. */
    public static void reset(Mesh mesh) {
        mesh.toxics().reset();
    }

    static ToxicSpec spec(InjectToxic t) {
        Map<String, Long> given = given(t);
        List<String> allowed = allowed(t.type());
        List<String> foreign = given.keySet().stream().filter(a -> !allowed.contains(a)).toList();
        if (!foreign.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", foreign) + (foreign.size() == 1 ? " is" : " are")
                    + " not an attribute of " + wire(t.type()) + " (it takes " + String.join(", ", allowed) + ")");
        }
        Toxic toxic = switch (t.type()) {
            case LATENCY -> new Toxic.Latency(required(given, "latency", t), or0(given, "jitter"));
            case BANDWIDTH -> new Toxic.Bandwidth(required(given, "rate", t));
            case SLOW_CLOSE -> new Toxic.SlowClose(or0(given, "delay"));
            case TIMEOUT -> new Toxic.Timeout(or0(given, "timeout"));
            case RESET_PEER -> new Toxic.ResetPeer(or0(given, "timeout"));
            case SLICER -> new Toxic.Slicer(required(given, "averageSize", t), or0(given, "sizeVariation"), or0(given, "delay"));
            case LIMIT_DATA -> new Toxic.LimitData(required(given, "bytes", t));
        };
        Direction stream = t.stream() == InjectToxic.Stream.UPSTREAM ? Direction.UPSTREAM : Direction.DOWNSTREAM;
        return new ToxicSpec(t.name().isEmpty() ? null : t.name(), stream, t.toxicity(), toxic);
    }

    private static Map<String, Long> given(InjectToxic t) {
        Map<String, Long> all = new LinkedHashMap<>();
        all.put("latency", t.latency());
        all.put("jitter", t.jitter());
        all.put("rate", t.rate());
        all.put("delay", t.delay());
        all.put("timeout", t.timeout());
        all.put("averageSize", t.averageSize());
        all.put("sizeVariation", t.sizeVariation());
        all.put("bytes", t.bytes());
        all.values().removeIf(v -> v == InjectToxic.UNSET);
        return all;
    }

    private static List<String> allowed(InjectToxic.Type type) {
        return switch (type) {
            case LATENCY -> List.of("latency", "jitter");
            case BANDWIDTH -> List.of("rate");
            case SLOW_CLOSE -> List.of("delay");
            case TIMEOUT, RESET_PEER -> List.of("timeout");
            case SLICER -> List.of("averageSize", "sizeVariation", "delay");
            case LIMIT_DATA -> List.of("bytes");
        };
    }

    private static long required(Map<String, Long> given, String attribute, InjectToxic t) {
        Long v = given.get(attribute);
        if (v == null) throw new IllegalArgumentException(wire(t.type()) + " needs " + attribute);
        return v;
    }

    private static long or0(Map<String, Long> given, String attribute) {
        return given.getOrDefault(attribute, 0L);
    }

    private static String wire(InjectToxic.Type type) {
        return type.name().toLowerCase(Locale.ROOT);
    }

    private static String name(AnnotatedElement element) {
        return element instanceof Class<?> c ? c.getSimpleName()
                : element instanceof Method m ? m.getDeclaringClass().getSimpleName() + "." + m.getName() + "()"
                : element.toString();
    }
}
