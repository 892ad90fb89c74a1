package dev.meshunit.config.load;

/**
 * Maps a field of a resource (a record instance, by identity) to where it was written, so that the
 * validator can name lines of YAML files or {@code <builder>} alike.
 */
@FunctionalInterface
public interface SourceLocator {

    /** @param path field path relative to {@code spec}, e.g. {@code http[0].route[1].weight}; "" for the resource */
    Position locate(Object resource, String path);

    /** Whether {@code path} itself was written (an empty {@code {}} counts), which records cannot always tell. */
    default boolean written(Object resource, String path) {
        return false;
    }

    static SourceLocator fixed(String source) {
        Position p = Position.unknown(source);
        return (resource, path) -> p;
    }
}
