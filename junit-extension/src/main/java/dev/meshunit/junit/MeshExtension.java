package dev.meshunit.junit;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.journal.Journal;
import dev.meshunit.junit.internal.BackendPlaceholders;
import dev.meshunit.junit.internal.ConfigSources;
import dev.meshunit.junit.internal.FailureReport;
import dev.meshunit.junit.internal.FaultAnnotations;
import dev.meshunit.junit.internal.MeshResource;
import dev.meshunit.junit.internal.MeshSettings;
import dev.meshunit.junit.internal.TimelineReport;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link MeshTest}, or registered with {@code @RegisterExtension} from {@link #builder()}
 * (on a static field: one proxy per class; on an instance field: one per test). The proxy lives in JUnit's
 * {@link ExtensionContext.Store} of the class (or of the method), so JUnit closes it when that scope ends, even
 * when a callback failed. Nothing is static: parallel test classes each get their own proxy.
 */
public final class MeshExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(MeshExtension.class);
    private static final String KEY = "mesh";

    /** Null when the settings come from {@link MeshTest}. */
    private final MeshSettings programmatic;
    /** The mesh this (programmatic) extension started last, for {@link #mesh()}. */
    private final AtomicReference<Mesh> started = new AtomicReference<>();

    /** The declarative form: settings from the {@link MeshTest} annotation. */
    public MeshExtension() {
        this(null);
    }

    private MeshExtension(MeshSettings programmatic) {
        this.programmatic = programmatic;
    }

    public static Builder builder() {
        return new Builder();
    }

    private MeshSettings settings(ExtensionContext context) {
        if (programmatic != null) return programmatic;
        // A @Nested class finds the enclosing class's annotation only through its proxy, shared below.
        return AnnotationSupport.findAnnotation(context.getRequiredTestClass(), MeshTest.class).map(MeshSettings::of).orElse(null);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        MeshSettings settings = settings(context);
        if (settings == null || settings.perMethod() || find(context) != null) return;
        context.getStore(NAMESPACE).put(KEY, start(settings, context.getRequiredTestClass(), null));
    }

    /**
     * The mesh this extension started for the running class (a {@code static} field) or test (an instance
     * field). For code that runs outside a test method's parameters, such as Spring's
     * {@code @DynamicPropertySource} suppliers: {@code registry.add("ratings.url", () -> MESH.mesh().uri("ratings"))}.
     *
     * @throws IllegalStateException before the extension has started a mesh, or for {@link MeshTest}'s extension
     */
    public Mesh mesh() {
        Mesh mesh = started.get();
        if (mesh == null) {
            throw new IllegalStateException(programmatic == null
                    ? "mesh() is for an extension registered with @RegisterExtension; with @MeshTest take a Mesh parameter"
                    : "no mesh started yet: MeshExtension starts it before the class's first test (for a static"
                            + " field) or before each test (for an instance field); read it lazily, e.g. in a Supplier");
        }
        return mesh;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        MeshSettings settings = settings(context);
        if (settings != null && (settings.perMethod() || find(context) == null)) {
            context.getStore(NAMESPACE).put(KEY, start(settings, context.getRequiredTestClass(), context.getRequiredTestInstance()));
        } else {
            mesh(context).journal().reset();
        }
        Mesh mesh = mesh(context);
        for (AnnotatedElement element : faultSources(context)) {
            FaultAnnotations.read(element).forEach(mesh.faults()::add);
        }
    }

    /** The class (outer classes first, for @Nested), then the method: class-level faults apply to every test. */
    private static List<AnnotatedElement> faultSources(ExtensionContext context) {
        List<AnnotatedElement> sources = new ArrayList<>();
        for (Class<?> c = context.getRequiredTestClass(); c != null;
                c = Modifier.isStatic(c.getModifiers()) ? null : c.getEnclosingClass()) {
            sources.add(0, c);
        }
        sources.add(context.getRequiredTestMethod());
        return sources;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Mesh mesh = find(context);
        if (mesh == null) return;
        mesh.faults().clear();
        if (context.getExecutionException().isPresent()) FailureReport.publish(context, mesh.journal().exchanges());
        TimelineReport.afterEach(context, mesh.journal());
    }

    private MeshResource start(MeshSettings settings, Class<?> testClass, Object instance) {
        Map<String, String> placeholders = new TreeMap<>(settings.placeholders());
        placeholders.putAll(BackendPlaceholders.read(testClass, instance));
        IstioConfig config = settings.config() != null ? settings.config()
                : ConfigSources.load(testClass, settings.sources().toArray(String[]::new), placeholders);
        Mesh mesh = new Mesh(MeshProxy.builder()
                .config(config)
                .seed(settings.seed())
                .listenerPerService(settings.listenerPerService())
                .start());
        if (programmatic != null) started.set(mesh);
        return settings.jvmWideProxy() ? MeshResource.jvmWide(mesh) : MeshResource.of(mesh);
    }

    static Mesh find(ExtensionContext context) {
        MeshResource resource = context.getStore(NAMESPACE).get(KEY, MeshResource.class);
        return resource == null ? null : resource.mesh();
    }

    private static Mesh mesh(ExtensionContext context) {
        Mesh mesh = find(context);
        if (mesh == null) {
            throw new ExtensionConfigurationException("no MeshUnit proxy in " + context.getDisplayName()
                    + ": annotate the test class with @MeshTest (with perMethod = true the proxy exists only"
                    + " in test methods and @BeforeEach/@AfterEach)");
        }
        return mesh;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Mesh.class || type == MeshProxy.class || type == Journal.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        Mesh mesh;
        try {
            mesh = mesh(context);
        } catch (ExtensionConfigurationException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
        if (type == MeshProxy.class) return mesh.proxy();
        if (type == Journal.class) return mesh.journal();
        return mesh;
    }

    /**
     * The programmatic form of {@link MeshTest}, for {@code @RegisterExtension}:
     * {@code MeshExtension.builder().config("mesh/ratings").backend("ratings", port).seed(7).build()}.
     */
    public static final class Builder {
        private final List<String> sources = new ArrayList<>();
        private IstioConfig config;
        private final Map<String, String> placeholders = new LinkedHashMap<>();
        private long seed = 1;
        private boolean perMethod;
        private boolean listenerPerService = true;
        private boolean jvmWideProxy;

        private Builder() {}

        /** Classpath resources, or file and folder paths, as in {@link MeshTest#config()}. */
        public Builder config(String... sources) {
            this.sources.addAll(List.of(sources));
            return this;
        }

        /** Config already built (e.g. with {@code MeshConfigBuilder}); replaces any sources. */
        public Builder config(IstioConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Binds {@code ${name.port}} and {@code ${name.host}} (127.0.0.1), as a {@link Backend} field would. */
        public Builder backend(String name, int port) {
            placeholders.put(name + ".port", Integer.toString(port));
            placeholders.put(name + ".host", "127.0.0.1");
            return this;
        }

        public Builder placeholder(String name, String value) {
            placeholders.put(name, value);
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder perMethod(boolean perMethod) {
            this.perMethod = perMethod;
            return this;
        }

        public Builder listenerPerService(boolean on) {
            this.listenerPerService = on;
            return this;
        }

        /** See {@link MeshTest#jvmWideProxy()}: not safe for classes running in parallel. */
        public Builder jvmWideProxy(boolean on) {
            this.jvmWideProxy = on;
            return this;
        }

        public MeshExtension build() {
            return new MeshExtension(new MeshSettings(sources, config, placeholders, seed, perMethod, listenerPerService, jvmWideProxy));
        }
    }
}
