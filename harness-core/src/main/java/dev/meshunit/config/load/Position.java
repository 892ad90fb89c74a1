package dev.meshunit.config.load;

/** Where a value came from: a file as the user named it, and a 1-based line and column (0 when unknown). */
public record Position(String source, int line, int column) {

    public static Position unknown(String source) {
        return new Position(source, 0, 0);
    }

    @Override
    public String toString() {
        return line <= 0 ? source : source + ":" + line + ":" + column;
    }
}
