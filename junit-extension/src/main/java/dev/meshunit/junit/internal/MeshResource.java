package dev.meshunit.junit.internal;

import dev.meshunit.junit.Mesh;
import java.net.ProxySelector;
import java.util.List;
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
    private final List<? extends AutoCloseable> backends;

    private MeshResource(Mesh mesh, boolean jvmWide, ProxySelector previous, List<? extends AutoCloseable> backends) {
        this.mesh = mesh;
        this.jvmWide = jvmWide;
        this.previous = previous;
        this.backends = List.copyOf(backends);
    }

    /** The mesh, and the backends that close with it (after it). */
    public static MeshResource of(Mesh mesh, List<? extends AutoCloseable> backends) {
        return new MeshResource(mesh, false, null, backends);
    }

    /** Makes the mesh the JVM's default proxy until {@link #close()}: not safe with other classes in parallel. */
    public static MeshResource jvmWide(Mesh mesh, List<? extends AutoCloseable> backends) {
        ProxySelector previous = ProxySelector.getDefault();
        ProxySelector.setDefault(mesh.proxySelector());
        return new MeshResource(mesh, true, previous, backends);
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
            try {
                mesh.close();
            } finally {
                for (AutoCloseable backend : backends) closeQuietly(backend);
            }
        }
    }

    private static void closeQuietly(AutoCloseable backend) {
        try {
            backend.close();
        } catch (Exception e) {
            // a backend that fails to close must not hide the test's outcome
        }
    }
}
