package dev.meshunit.junit.internal;

import dev.meshunit.MeshProxy;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One core setting the test asked for, applied to the proxy's builder when the proxy starts.
 *
 * @param name how the test wrote it, e.g. {@code journalCapacity = 0} or {@code journalCapacity(0)}: named
 *     in the error when the core refuses the value
 */
public record ProxySetting(String name, Consumer<MeshProxy.Builder> apply) {
    public ProxySetting {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(apply, "apply");
    }
}
