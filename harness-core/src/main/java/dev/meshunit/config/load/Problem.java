package dev.meshunit.config.load;

import java.util.Comparator;

/**
 * One finding about the config. Formatted as
 * {@code file:line:col: Kind name: field.path: message}, warnings prefixed with {@code warning: } and
 * analyzer findings suffixed with their istioctl code, e.g. {@code [IST0101]}.
 */
public record Problem(Severity severity, Position position, String resource, String path, String message, String code) {

    public enum Severity { ERROR, WARNING }

    /** Sorted by file, then line, then column, so that a report reads top to bottom like the files. */
    public static final Comparator<Problem> ORDER = Comparator
            .comparing((Problem p) -> p.position().source())
            .thenComparingInt(p -> p.position().line())
            .thenComparingInt(p -> p.position().column())
            .thenComparing(Problem::toString);

    /** The resource's kind ({@code VirtualService}), or "" for a problem with the file itself. */
    public String kind() {
        if (resource == null || resource.isEmpty()) return "";
        int space = resource.indexOf(' ');
        return space < 0 ? resource : resource.substring(0, space);
    }

    /** The resource's {@code metadata.name}, or "". */
    public String name() {
        String qualified = qualifiedName();
        return qualified.substring(qualified.indexOf('/') + 1);
    }

    /** The resource's namespace ({@code default} unless given), or "" for a problem with the file itself. */
    public String namespace() {
        String qualified = qualifiedName();
        int slash = qualified.indexOf('/');
        return slash >= 0 ? qualified.substring(0, slash) : qualified.isEmpty() ? "" : "default";
    }

    private String qualifiedName() {
        if (resource == null) return "";
        int space = resource.indexOf(' ');
        return space < 0 ? "" : resource.substring(space + 1);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (severity == Severity.WARNING) s.append("warning: ");
        s.append(position).append(": ");
        if (resource != null && !resource.isEmpty()) s.append(resource).append(": ");
        if (path != null && !path.isEmpty()) s.append(path).append(": ");
        s.append(message);
        if (code != null) s.append(" [").append(code).append(']');
        return s.toString();
    }
}
