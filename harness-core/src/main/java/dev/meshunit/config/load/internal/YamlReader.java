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
    /** JSON is YAML, but SnakeYAML refuses JSON indented with tabs; kubectl takes it, so JSON is read as JSON. */
    private final com.fasterxml.jackson.core.JsonFactory json = new com.fasterxml.jackson.core.JsonFactory();

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

    /**
     * While parsing, a placeholder's braces would be YAML flow indicators ({@code ports: {http: ${v1.port}}}
     * is a syntax error). They are swapped for guillemets of the same length, so positions stay exact, and
     * swapped back in every scalar.
     */
    static String protectPlaceholders(String text) {
        if (!text.contains("${")) return text;
        StringBuilder b = new StringBuilder(text);
        int from = 0;
        int start;
        while ((start = b.indexOf("${", from)) >= 0) {
            int end = b.indexOf("}", start + 2);
            int newline = b.indexOf("\n", start);
            if (end < 0) break;
            if (newline >= 0 && newline < end) {
                from = start + 2;
                continue;
            }
            b.setCharAt(start + 1, '\u00ab');
            b.setCharAt(end, '\u00bb');
            from = end + 1;
        }
        return b.toString();
    }

    static String restorePlaceholders(String s) {
        if (s.indexOf('\u00ab') < 0) return s;
        StringBuilder b = new StringBuilder(s);
        int from = 0;
        int start;
        while ((start = b.indexOf("$\u00ab", from)) >= 0) {
            int end = b.indexOf("\u00bb", start + 2);
            if (end < 0) break;
            b.setCharAt(start + 1, '{');
            b.setCharAt(end, '}');
            from = end + 1;
        }
        return b.toString();
    }

    /** The non-empty documents of {@code text}, in order. */
    public List<Node> read(String text) throws SyntaxError {
        String stripped = text.stripLeading();
        if (stripped.startsWith("{") || stripped.startsWith("[")) {
            try {
                return parse(text, true);
            } catch (SyntaxError json) {
                // YAML flow style ({kind: VirtualService, ...}) is not JSON; a JSON syntax error is YAML's too.
                try {
                    return parse(text, false);
                } catch (SyntaxError yaml) {
                    throw text.indexOf('\t') >= 0 ? json : yaml;
                }
            }
        }
        return parse(text, false);
    }

    private List<Node> parse(String text, boolean asJson) throws SyntaxError {
        List<Node> docs = new ArrayList<>();
        try (JsonParser p = asJson ? json.createParser(text) : factory.createParser(protectPlaceholders(text))) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                Node doc = value(p, t);
                if (!(doc instanceof Node.Scalar s && s.type() == Node.Type.NULL)) docs.add(doc);
            }
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            // SnakeYAML's message: context and problem on lines of their own, quoted source and caret indented.
            String msg = e.getOriginalMessage().lines()
                    .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
                    .collect(java.util.stream.Collectors.joining(": "));
            if (msg.isEmpty()) msg = "unreadable";
            throw new SyntaxError((asJson ? "invalid JSON: " : "invalid YAML: ") + msg, l == null ? new Mark(1, 1) : mark(l));
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
                    String key = restorePlaceholders(p.currentName());
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
                return new Node.Scalar(restorePlaceholders(p.getText()), Node.Type.STRING, at);
        }
    }

    private static Mark mark(JsonLocation l) {
        return new Mark(Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
    }
}
