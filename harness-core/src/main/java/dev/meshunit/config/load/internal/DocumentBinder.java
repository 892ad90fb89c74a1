package dev.meshunit.config.load.internal;

import dev.meshunit.config.Metadata;
import dev.meshunit.config.load.internal.Node.MapNode;
import dev.meshunit.config.load.internal.Node.Mark;
import dev.meshunit.config.load.internal.Node.Scalar;
import dev.meshunit.config.load.internal.Node.SeqNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Turns one YAML document into a resource record: checks apiVersion and kind, skips kinds MeshUnit does
 * not handle, binds metadata and spec, and hands each resource with its field positions to a consumer.
 */
public final class DocumentBinder {
    private static final Set<String> API_VERSIONS =
            Set.of("networking.istio.io/v1", "networking.istio.io/v1beta1", "networking.istio.io/v1alpha3");
    private static final List<String> TOP_LEVEL = List.of("apiVersion", "kind", "metadata", "spec", "status");
    private static final List<String> KINDS = List.of("VirtualService", "DestinationRule", "ServiceEntry", "WorkloadEntry");

    /** A bound record and where its fields were written (paths relative to spec). */
    public record Bound(Object resource, String source, Map<String, Mark> positions) {}

    private final String source;
    private final List<dev.meshunit.config.load.Problem> problems;
    private final Function<String, String> placeholders;

    public DocumentBinder(String source, List<dev.meshunit.config.load.Problem> problems, Function<String, String> placeholders) {
        this.source = source;
        this.problems = problems;
        this.placeholders = placeholders;
    }

    public void bind(Node doc, Consumer<Bound> out) {
        Ctx ctx = new Ctx(source, problems, placeholders);
        if (!(doc instanceof MapNode map)) {
            ctx.error("", doc.mark(), "expected a Kubernetes resource (an object with apiVersion and kind), got " + Node.describe(doc));
            return;
        }
        String kind = scalar(map, "kind");
        String apiVersion = scalar(map, "apiVersion");
        if (kind == null) {
            Node given = value(map, "kind");
            if (given == null || (given instanceof Scalar sc && sc.type() == Node.Type.NULL)) {
                ctx.error("", map.mark(), "missing kind");
            } else {
                ctx.error("kind", given.mark(), "kind must be a string such as VirtualService, got " + Node.describe(given));
            }
        } else if (kind.equals("List")) {
            Node items = value(map, "items");
            if (items instanceof SeqNode seq) seq.items().forEach(item -> bind(item, out));
        } else if (!KINDS.contains(kind)) {
            Node name = SkippedKinds.at(map, "metadata", "name");
            Node ns = SkippedKinds.at(map, "metadata", "namespace");
            Metadata metadata = new Metadata(name instanceof Scalar n ? n.text() : "<unnamed>",
                    ns instanceof Scalar n ? n.text() : null, null, null);
            ctx.resource(Report.label(kind, metadata));
            GatewayResource gateway = SkippedKinds.check(kind, map, ctx, metadata);
            if (gateway != null) out.accept(new Bound(gateway, source, ctx.positions()));
            ctx.resource("");
            ctx.warning("", map.mark(), "skipped " + kind + " (" + apiVersion + "): MeshUnit reads only "
                    + String.join(", ", KINDS), null);
        } else if (apiVersion == null || !API_VERSIONS.contains(apiVersion)) {
            Node at = value(map, "apiVersion");
            ctx.error("apiVersion", at == null ? map.mark() : at.mark(), kind + " needs apiVersion "
                    + String.join(", ", API_VERSIONS.stream().sorted().toList())
                    + (apiVersion == null ? "; it has none" : "; got " + apiVersion));
        } else {
            bindResource(kind, map, ctx, out);
        }
    }

    private void bindResource(String kind, MapNode map, Ctx ctx, Consumer<Bound> out) {
        Metadata metadata = metadata(value(map, "metadata"), ctx);
        ctx.resource(Report.label(kind, metadata));
        for (Node.Entry e : map.entries()) {
            if (!TOP_LEVEL.contains(e.key())) {
                ctx.error(e.key(), e.keyMark(), "unknown field \"" + e.key() + "\"; allowed: " + String.join(", ", TOP_LEVEL));
            }
        }
        Node specNode = value(map, "spec");
        if (specNode == null) specNode = new MapNode(List.of(), map.mark());
        Fields spec = Fields.of(specNode, "", ctx);
        if (spec == null) return;
        Object resource = switch (kind) {
            case "VirtualService" -> VirtualServiceBinder.bind(metadata, spec);
            case "DestinationRule" -> DestinationRuleBinder.bind(metadata, spec);
            case "ServiceEntry" -> ServiceEntryBinder.bind(metadata, spec);
            default -> ServiceEntryBinder.bindWorkloadEntry(metadata, spec);
        };
        spec.done();
        out.accept(new Bound(resource, source, ctx.positions()));
    }

    /** Only name and namespace matter; the rest of Kubernetes metadata is accepted as is. */
    private static Metadata metadata(Node n, Ctx ctx) {
        if (!(n instanceof MapNode m)) {
            ctx.error("metadata", n == null ? new Mark(1, 1) : n.mark(), "missing metadata.name");
            return Metadata.of("<unnamed>");
        }
        String name = scalar(m, "name");
        Node nameNode = value(m, "name");
        ctx.at("metadata.name", nameNode == null ? m.mark() : nameNode.mark());
        if (name == null || name.isEmpty()) ctx.error("metadata.name", m.mark(), "missing metadata.name");
        Fields f = new Fields(m, "metadata", ctx);
        return new Metadata(name == null ? "<unnamed>" : name, scalar(m, "namespace"), f.stringMap("labels"),
                f.stringMap("annotations"));
    }

    private static Node value(MapNode m, String key) {
        return m.entries().stream().filter(e -> e.key().equals(key)).map(Node.Entry::value).findFirst().orElse(null);
    }

    private static String scalar(MapNode m, String key) {
        return value(m, key) instanceof Scalar s && s.type() != Node.Type.NULL ? s.text() : null;
    }
}
