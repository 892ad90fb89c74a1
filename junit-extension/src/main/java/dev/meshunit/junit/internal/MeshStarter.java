package dev.meshunit.junit.internal;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.DeclaredHosts;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.junit.Mesh;
import dev.meshunit.junit.StubBackend;
import java.lang.reflect.AnnotatedElement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a test class's (or test's) mesh from its settings, with its stub backends and, when asked, toxics; puts
 * each test's faults and toxics in place and takes them away after it.
 */
public final class MeshStarter {
    private MeshStarter() {}

    public static MeshResource start(MeshSettings settings, ExtensionContext context, Object instance) {
        Class<?> testClass = context.getRequiredTestClass();
        List<StubBackend> backends = BackendPlaceholders.ownedStubs(testClass, instance);
        try {
            Map<String, String> placeholders = new TreeMap<>(settings.placeholders());
            placeholders.putAll(BackendPlaceholders.read(testClass, instance));
            IstioConfig config = settings.config(context, placeholders);
            String owner = "MeshUnit proxy of " + testClass.getSimpleName();
            MeshProxy.Builder builder = settings.proxyBuilder(config, owner);
            Mesh mesh = ToxicsWanted.by(settings, testClass, owner)
                    ? SidecarToxicsSupport.start(builder, config, settings) : new Mesh(builder.start());
            return settings.jvmWideProxy() ? MeshResource.jvmWide(mesh, backends) : MeshResource.of(mesh, backends);
        } catch (RuntimeException e) {
            backends.forEach(StubBackend::close);   // the class fails; its backends must not outlive it
            throw e;
        }
    }

    /** Before each test: the proxy still runs; the faults and toxics of the class and the method are in place. */
    public static void beforeTest(ExtensionContext context, Mesh mesh) {
        failIfStopped(mesh.proxy());
        DeclaredHosts hosts = DeclaredHosts.of(mesh.proxy().config());
        for (AnnotatedElement element : FaultAnnotations.sources(context)) {
            FaultAnnotations.add(element, mesh.faults(), hosts);
            if (mesh.hasToxics()) SidecarToxicsSupport.add(element, mesh);
        }
    }

    /** After each test: no fault or toxic left for the next; a failed test's evidence published. */
    public static void afterTest(ExtensionContext context, Mesh mesh) {
        mesh.faults().clear();
        if (mesh.hasToxics()) SidecarToxicsSupport.reset(mesh);
        if (context.getExecutionException().isPresent()) FailureReport.publish(context, mesh.journal().exchanges());
        TimelineReport.afterEach(context, mesh.journal());
        failIfStopped(mesh.proxy());
    }

    /** A proxy that hit a fatal error (out of memory, a dead event loop) closed itself: say so, loudly. */
    public static void failIfStopped(MeshProxy proxy) {
        Throwable fatal = proxy.fatalError();
        if (fatal != null) {
            throw new AssertionError("the MeshUnit proxy stopped on a fatal error, so calls through it failed: " + fatal
                    + " (give the test JVM more heap, or keep less in the journal: journalMaxBytes, recordBodies)", fatal);
        }
    }
}
