package dev.meshunit.config.load.internal;

/**
 * Envoy's custom header value syntax, as Istio checks it: literal text, {@code %%} for a percent sign, and
 * {@code %NAME%} or {@code %NAME(args)%} or {@code %NAME(["a", "b"])%} variables. Envoy rejects the rest.
 */
final class EnvoyFormat {
    private enum State { LITERAL, NAME, ARGS_START, STRING_START, STRING, DELIMITER_OR_END, ARGS_END, VARIABLE_END }

    private EnvoyFormat() {}

    /** What is wrong with {@code value}, or null. */
    static String problem(String value) {
        State state = State.LITERAL;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean more = i + 1 < value.length();
            switch (state) {
                case LITERAL -> {
                    if (c != '%') continue;
                    if (!more) return "invalid header configuration. Un-escaped %";
                    if (value.charAt(i + 1) == '%') i++;
                    else state = State.NAME;
                }
                case NAME -> {
                    if (c == '%') state = State.LITERAL;
                    else if (c == '(') state = State.ARGS_START;
                }
                case ARGS_START -> {
                    if (c == '[') state = State.STRING_START;
                    else if (c != ' ') state = State.STRING;
                }
                case DELIMITER_OR_END -> {
                    if (c == ',') state = State.STRING_START;
                    else if (c == ']') state = State.ARGS_END;
                    else if (c != ' ') return "invalid header configuration. Expecting ',', ']', or whitespace";
                }
                case STRING_START -> {
                    if (c == '"') state = State.STRING;
                    else if (c != ' ') return "invalid header configuration. Expecting '\"'";
                }
                case STRING -> {
                    if (c == '\\') {
                        if (!more) return "invalid header configuration. Un-terminated backslash in JSON string";
                        i++;
                    } else if (c == ')') {
                        state = State.VARIABLE_END;
                    } else if (c == '"') {
                        state = State.DELIMITER_OR_END;
                    }
                }
                case ARGS_END -> {
                    if (c == ')') state = State.VARIABLE_END;
                    else if (c != ' ') return "invalid header configuration. Expecting ')' or whitespace";
                }
                case VARIABLE_END -> {
                    if (c == '%') state = State.LITERAL;
                    else if (c != ' ') return "invalid header configuration. Expecting '%' or whitespace";
                }
            }
        }
        return state == State.LITERAL ? null : "invalid header configuration. Un-terminated variable expression '" + value + "'";
    }
}
