package dev.meshunit.config.load.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshunit.config.load.internal.Node.Entry;
import dev.meshunit.config.load.internal.Node.Mark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads (multi-document) YAML with Jackson's streaming parser into {@link Node}s, because data binding
 * would lose the line and column of every value.
 */
public final class YamlReader {
    private final YAMLFactory factory = new YAMLFactory();

    /** Thrown for YAML that cannot be parsed at all; carries where the parser gave up. */
    public static final class SyntaxError extends Exception {
        private final Mark mark;

        SyntaxError(String message, Mark mark) {
            super(message);
            this.mark = mark;
        }

        public Mark mark() {
            return mark;
        }
    }

    /** The non-empty documents of {@code text}, in order. */
    public List<Node> read(String text) throws SyntaxError {
        List<Node> docs = new ArrayList<>();
        try (JsonParser p = factory.createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                Node doc = value(p, t);
                if (!(doc instanceof Node.Scalar s && s.type() == Node.Type.NULL)) docs.add(doc);
            }
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String msg = e.getOriginalMessage().lines().findFirst().orElse("invalid YAML");
            throw new SyntaxError("invalid YAML: " + msg, l == null ? new Mark(1, 1) : mark(l));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    private Node value(JsonParser p, JsonToken t) throws IOException {
        Mark at = mark(p.currentTokenLocation());
        switch (t) {
            case START_OBJECT: {
                List<Entry> entries = new ArrayList<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Mark keyAt = mark(p.currentTokenLocation());
                    entries.add(new Entry(key, keyAt, value(p, p.nextToken())));
                }
                return new Node.MapNode(List.copyOf(entries), at);
            }
            case START_ARRAY: {
                List<Node> items = new ArrayList<>();
                JsonToken next;
                while ((next = p.nextToken()) != JsonToken.END_ARRAY) items.add(value(p, next));
                return new Node.SeqNode(List.copyOf(items), at);
            }
            case VALUE_NUMBER_INT:
                return new Node.Scalar(p.getText(), Node.Type.INT, at);
            case VALUE_NUMBER_FLOAT:
                return new Node.Scalar(p.getText(), Node.Type.FLOAT, at);
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new Node.Scalar(p.getText(), Node.Type.BOOL, at);
            case VALUE_NULL:
                return new Node.Scalar("", Node.Type.NULL, at);
            default:
                return new Node.Scalar(p.getText(), Node.Type.STRING, at);
        }
    }

    private static Mark mark(JsonLocation l) {
        return new Mark(Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
    }
}
