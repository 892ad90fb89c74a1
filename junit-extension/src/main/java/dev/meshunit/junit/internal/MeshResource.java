package dev.meshunit.junit.internal;

import dev.meshunit.junit.Mesh;
import java.net.ProxySelector;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A started mesh in JUnit's store, closed when the scope ends: JUnit 5.13 and later close it as an
 * {@code AutoCloseable}, older ones only know {@code CloseableResource}. Closing twice does nothing. Restores
 * the JVM's proxy selector if it replaced it.
 */
@SuppressWarnings("deprecation") // CloseableResource: deprecated in JUnit 6, the only way JUnit 5.10 closes a value
public final class MeshResource implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    private final AtomicBoolean closed = new AtomicBoolean();
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
        if (!closed.compareAndSet(false, true)) return;
        try {
            if (jvmWide) ProxySelector.setDefault(previous);
        } finally {
            mesh.close();
        }
    }
}
