package dev.meshunit.config.load.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshunit.config.load.internal.Node.Entry;
import dev.meshunit.config.load.internal.Node.Mark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads (multi-document) YAML with Jackson's streaming parser into {@link Node}s, because data binding
 * would lose the line and column of every value. Bounded, so that a hostile file or admin request costs neither
 * seconds of parsing nor the stack: at most {@value #MAX_DOCUMENT_CHARS} characters per document,
 * {@value #MAX_SCALAR_CHARS} characters per scalar, {@value #MAX_NESTING} levels of nesting and
 * {@value #MAX_ALIASES} aliases (SnakeYAML's {@code LoaderOptions}, Jackson's {@code StreamReadConstraints}).
 */
public final class YamlReader {
    /** Istio refuses a directResponse body over 1 MB, and that is the largest scalar it has: base64, 1.4 Mi characters. */
    public static final int MAX_DOCUMENT_CHARS = 2 * 1024 * 1024;
    public static final int MAX_SCALAR_CHARS = 3 * 512 * 1024;
    public static final int MAX_NESTING = 64;
    public static final int MAX_ALIASES = 50;
    private static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING)
            .maxStringLength(MAX_DOCUMENT_CHARS).maxNameLength(MAX_SCALAR_CHARS).build();

    private final YAMLFactory factory = YAMLFactory.builder().loaderOptions(loaderOptions())
            .enable(com.fasterxml.jackson.dataformat.yaml.YAMLParser.Feature.EMPTY_STRING_AS_NULL) // as new YAMLFactory()
            .streamReadConstraints(CONSTRAINTS)
            .build();
    /** JSON is YAML, but SnakeYAML refuses JSON indented with tabs; kubectl takes it, so JSON is read as JSON. */
    private final com.fasterxml.jackson.core.JsonFactory json = com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(CONSTRAINTS).build();

    private static LoaderOptions loaderOptions() {
        LoaderOptions o = new LoaderOptions();
        o.setCodePointLimit(MAX_DOCUMENT_CHARS);
        o.setNestingDepthLimit(MAX_NESTING);
        o.setMaxAliasesForCollections(MAX_ALIASES);
        o.setAllowRecursiveKeys(false);
        return o;
    }

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

    /**
     * SnakeYAML's time grows faster than the length of a long token, and it counts its code-point limit late:
     * a linear look at each document's length first keeps a hostile body from costing seconds.
     */
    private static void checkDocumentLengths(String text) throws SyntaxError {
        int line = 1;
        int docLine = 1;
        int docStart = 0;
        for (int i = 0; i <= text.length(); i++) {
            boolean end = i == text.length();
            if (end || (text.charAt(i) == '\n' && text.startsWith("---", i + 1))) {
                if (i - docStart > MAX_DOCUMENT_CHARS) {
                    throw new SyntaxError("invalid YAML: a document of " + (i - docStart) + " characters; at most "
                            + MAX_DOCUMENT_CHARS + " are allowed per document", new Mark(docLine, 1));
                }
                docStart = i + 1;
                docLine = line + 1;
            }
            if (!end && text.charAt(i) == '\n') line++;
        }
    }

    /** The non-empty documents of {@code text}, in order. */
    public List<Node> read(String text) throws SyntaxError {
        checkDocumentLengths(text);
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
        } catch (TooLarge e) {
            throw new SyntaxError((asJson ? "invalid JSON: " : "invalid YAML: ") + e.getMessage(), e.at);
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
                    Mark keyAt = mark(p.currentTokenLocation());
                    String key = restorePlaceholders(bounded(p.currentName(), keyAt));
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
                return new Node.Scalar(restorePlaceholders(bounded(p.getText(), at)), Node.Type.STRING, at);
        }
    }

    private static String bounded(String scalar, Mark at) throws TooLarge {
        if (scalar.length() > MAX_SCALAR_CHARS) {
            throw new TooLarge("a scalar of " + scalar.length() + " characters; at most " + MAX_SCALAR_CHARS
                    + " are allowed", at);
        }
        return scalar;
    }

    /** A scalar past the cap: carries its position out of the recursion. */
    private static final class TooLarge extends IOException {
        final Mark at;

        TooLarge(String message, Mark at) {
            super(message);
            this.at = at;
        }
    }

    private static Mark mark(JsonLocation l) {
        return new Mark(Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
    }
}
