package dev.meshunit.config.load.internal;

import dev.meshunit.config.load.internal.Node.MapNode;
import dev.meshunit.config.load.internal.Node.Scalar;
import dev.meshunit.config.load.internal.Node.SeqNode;
import java.util.ArrayList;
import java.util.List;

/** Read-only access to a YAML object that MeshUnit checks without binding it to records (Gateway). */
record RawView(Node node, String path) {

    Node get(String key) {
        if (!(node instanceof MapNode m)) return null;
        for (Node.Entry e : m.entries()) {
            if (Fields.camel(e.key()).equals(key)) return e.value() instanceof Scalar s && s.type() == Node.Type.NULL ? null : e.value();
        }
        return null;
    }

    boolean has(String key) {
        return get(key) != null;
    }

    RawView child(String key) {
        return new RawView(get(key), Fields.join(path, key));
    }

    String string(String key) {
        return get(key) instanceof Scalar s ? s.text() : "";
    }

    long number(String key) {
        try {
            return get(key) instanceof Scalar s ? Long.parseLong(s.text().trim()) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    boolean flag(String key) {
        return get(key) instanceof Scalar s && s.text().equals("true");
    }

    List<RawView> items(String key) {
        List<RawView> out = new ArrayList<>();
        if (get(key) instanceof SeqNode seq) {
            for (int i = 0; i < seq.items().size(); i++) out.add(new RawView(seq.items().get(i), Fields.join(path, key) + "[" + i + "]"));
        }
        return out;
    }

    List<String> strings(String key) {
        List<String> out = new ArrayList<>();
        for (RawView item : items(key)) out.add(item.node() instanceof Scalar s ? s.text() : "");
        return out;
    }

    Node.Mark mark() {
        return node == null ? new Node.Mark(1, 1) : node.mark();
    }
}
