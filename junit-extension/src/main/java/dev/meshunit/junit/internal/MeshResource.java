package dev.meshunit.junit.internal;

import dev.meshunit.junit.Mesh;
import java.net.ProxySelector;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A started mesh in JUnit's store. A {@code CloseableResource}, which every JUnit from 5.0 to 6 closes when the
 * scope ends (AutoCloseable values only from 5.13). Restores the JVM's proxy selector if it replaced it.
 */
@SuppressWarnings("deprecation") // CloseableResource: deprecated in JUnit 6, the only way JUnit 5.10 closes a value
public final class MeshResource implements ExtensionContext.Store.CloseableResource {
    private final Mesh mesh;
    private final boolean jvmWide;
    private final ProxySelector previous;

    private MeshResource(Mesh mesh, boolean jvmWide, ProxySelector previous) {
        this.mesh = mesh;
        this.jvmWide = jvmWide;
        this.previous = previous;
    }

    public static MeshResource of(Mesh mesh) {
        return new MeshResource(mesh, false, null);
    }

    /** Makes the mesh the JVM's default proxy until {@link #close()}: not safe with other classes in parallel. */
    public static MeshResource jvmWide(Mesh mesh) {
        ProxySelector previous = ProxySelector.getDefault();
        ProxySelector.setDefault(mesh.proxySelector());
        return new MeshResource(mesh, true, previous);
    }

    public Mesh mesh() {
        return mesh;
    }

    @Override
    public void close() {
        try {
            if (jvmWide) ProxySelector.setDefault(previous);
        } finally {
            mesh.close();
        }
    }
}
