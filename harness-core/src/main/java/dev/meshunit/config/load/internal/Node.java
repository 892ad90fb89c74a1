package dev.meshunit.config.load.internal;

import java.util.List;

/** A YAML value that remembers where it was written (1-based line and column). */
public sealed interface Node permits Node.Scalar, Node.MapNode, Node.SeqNode {

    Mark mark();

    record Mark(int line, int column) {}

    enum Type { STRING, INT, FLOAT, BOOL, NULL }

    record Scalar(String text, Type type, Mark mark) implements Node {}

    record Entry(String key, Mark keyMark, Node value) {}

    record MapNode(List<Entry> entries, Mark mark) implements Node {}

    record SeqNode(List<Node> items, Mark mark) implements Node {}

    /** Type names as the user knows them from the Istio reference. */
    static String describe(Node n) {
        if (n instanceof MapNode) return "object";
        if (n instanceof SeqNode) return "list";
        Scalar s = (Scalar) n;
        return switch (s.type()) {
            case STRING -> "string \"" + s.text() + "\"";
            case INT -> "integer " + s.text();
            case FLOAT -> "number " + s.text();
            case BOOL -> "boolean " + s.text();
            case NULL -> "null";
        };
    }
}
