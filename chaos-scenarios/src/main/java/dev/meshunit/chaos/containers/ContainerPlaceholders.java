package dev.meshunit.chaos.containers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.testcontainers.containers.GenericContainer;

/**
 * Placeholders for {@link dev.meshunit.config.load.ConfigLoader#withPlaceholders}: after
 * {@code bind("reviews-v1", container, 9080)}, {@code ${reviews-v1.host}} is Testcontainers' host as an IP
 * (127.0.0.1 here) and {@code ${reviews-v1.port}} the port mapped to the container's 9080, so that a
 * ServiceEntry written in YAML points at a container:
 * <pre>{@code
 * endpoints:
 * - {address: "${reviews-v1.host}", ports: {http: "${reviews-v1.port}"}, labels: {version: v1}}
 * }</pre>
 * Values are looked up when the config is loaded, so bindings may be made before the containers start.
 * Not thread-safe while bindings are added.
 */
public final class ContainerPlaceholders implements Function<String, String> {
    private final Map<String, Supplier<String>> values = new LinkedHashMap<>();

    public static ContainerPlaceholders create() {
        return new ContainerPlaceholders();
    }

    /** {@code ${name.host}} and {@code ${name.port}} for the container's {@code containerPort}. */
    public ContainerPlaceholders bind(String name, GenericContainer<?> container, int containerPort) {
        Objects.requireNonNull(container, "container");
        return bind(name, () -> ContainerEndpoints.host(container),
                () -> ContainerEndpoints.port(container, containerPort));
    }

    /** {@code ${name.host}} and {@code ${name.port}} for anything else, e.g. a toxic proxy's listener. */
    public ContainerPlaceholders bind(String name, Supplier<String> host, IntSupplier port) {
        Objects.requireNonNull(name, "name");
        if (values.containsKey(name + ".host")) throw new IllegalArgumentException("placeholder " + name + " is bound already");
        values.put(name + ".host", host);
        values.put(name + ".port", () -> Integer.toString(port.getAsInt()));
        return this;
    }

    /** The value of {@code ${placeholder}}, or null when nothing is bound to it (the loader reports it). */
    @Override
    public String apply(String placeholder) {
        Supplier<String> value = values.get(placeholder);
        return value == null ? null : value.get();
    }
}
