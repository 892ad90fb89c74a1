package dev.meshunit.junit;

import dev.meshunit.MeshProxy;
import dev.meshunit.VirtualTime;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.journal.Journal;
import dev.meshunit.router.RetryDefaults;
import dev.meshunit.junit.internal.MeshResource;
import dev.meshunit.junit.internal.MeshStarter;
import dev.meshunit.junit.internal.MeshSettings;
import dev.meshunit.junit.internal.MeshTestSettings;
import dev.meshunit.junit.internal.ProxySetting;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
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
 *
 * <p>Longer than 300 lines because its public {@link Builder}, one method per setting as users know it from
 * {@link MeshTest}, lives here; what runs is in {@code internal} ({@code MeshStarter}).
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
        Class<?> testClass = context.getRequiredTestClass();
        return AnnotationSupport.findAnnotation(testClass, MeshTest.class).map(a -> MeshTestSettings.of(a, testClass)).orElse(null);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        MeshSettings settings = settings(context);
        if (settings == null || settings.perMethod() || find(context) != null) return;
        context.getStore(NAMESPACE).put(KEY, started(MeshStarter.start(settings, context, null)));
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
            context.getStore(NAMESPACE).put(KEY, started(MeshStarter.start(settings, context, context.getRequiredTestInstance())));
        } else {
            mesh(context).journal().reset();
        }
        MeshStarter.beforeTest(context, mesh(context));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Mesh mesh = find(context);
        if (mesh != null) MeshStarter.afterTest(context, mesh);
    }

    private MeshResource started(MeshResource resource) {
        if (programmatic != null) started.set(resource.mesh());
        return resource;
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
        return type == Mesh.class || type == MeshProxy.class || type == Journal.class || type == VirtualTime.class;
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
        if (type == VirtualTime.class) {
            try {
                return mesh.time();
            } catch (IllegalStateException e) {
                throw new ParameterResolutionException(e.getMessage(), e);
            }
        }
        return mesh;
    }

    /**
     * The programmatic form of {@link MeshTest}, for {@code @RegisterExtension}:
     * {@code MeshExtension.builder().config("mesh/ratings").backend("ratings", port).seed(7).build()}. Every
     * setting of {@link MeshProxy.Builder} is here; {@link #proxy} reaches any other.
     */
    public static final class Builder {
        private final List<String> sources = new ArrayList<>();
        private IstioConfig config;
        private final Map<String, String> placeholders = new LinkedHashMap<>();
        private final List<ProxySetting> proxy = new ArrayList<>();
        private boolean applyInOrder;
        private boolean perMethod;
        private boolean jvmWideProxy;
        private boolean toxics;
        private long seed = 1;
        private VirtualTime virtualTime;

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

        /** See {@link MeshTest#applyInOrder()}. */
        public Builder applyInOrder(boolean on) {
            this.applyInOrder = on;
            return this;
        }

        public Builder perMethod(boolean perMethod) {
            this.perMethod = perMethod;
            return this;
        }

        /** See {@link MeshTest#jvmWideProxy()}: not safe for classes running in parallel. */
        public Builder jvmWideProxy(boolean on) {
            this.jvmWideProxy = on;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return set("seed(" + seed + ")", b -> b.seed(seed));
        }

        /** See {@link MeshTest#toxics()}. */
        public Builder toxics(boolean on) {
            this.toxics = on;
            return this;
        }

        public Builder listenerPerService(boolean on) {
            return set("listenerPerService(" + on + ")", b -> b.listenerPerService(on));
        }

        public Builder retryDefaults(RetryDefaults defaults) {
            return set("retryDefaults(" + defaults + ")", b -> b.retryDefaults(defaults));
        }

        /** See {@link MeshTest#recordBodies()}. */
        public Builder recordBodies(int maxBytes) {
            return set("recordBodies(" + maxBytes + ")", b -> b.recordBodies(maxBytes));
        }

        public Builder journalCapacity(int capacity) {
            return set("journalCapacity(" + capacity + ")", b -> b.journalCapacity(capacity));
        }

        public Builder maxBufferedBodyBytes(int bytes) {
            return set("maxBufferedBodyBytes(" + bytes + ")", b -> b.maxBufferedBodyBytes(bytes));
        }

        /** See {@link MeshProxy.Builder#journalMaxBytes}. */
        public Builder journalMaxBytes(long bytes) {
            return set("journalMaxBytes(" + bytes + ")", b -> b.journalMaxBytes(bytes));
        }

        /** See {@link MeshProxy.Builder#journalHeaderLimits}. */
        public Builder journalHeaderLimits(int maxHeaders, int maxHeaderBytes) {
            return set("journalHeaderLimits(" + maxHeaders + ", " + maxHeaderBytes + ")",
                    b -> b.journalHeaderLimits(maxHeaders, maxHeaderBytes));
        }

        /** See {@link MeshProxy.Builder#downstreamLimits}: request headers, idle timeouts, header limits, connections. */
        public Builder downstreamLimits(dev.meshunit.downstream.DownstreamLimits limits) {
            return set("downstreamLimits(" + limits + ")", b -> b.downstreamLimits(limits));
        }

        /** See {@link MeshProxy.Builder#gateway}: the proxy also plays this gateway for tcp and tls routes. */
        public Builder gateway(String name) {
            return set("gateway(" + name + ")", b -> b.gateway(name));
        }

        /** See {@link MeshProxy.Builder#tlsInspectionTimeout}. */
        public Builder tlsInspectionTimeout(Duration timeout) {
            return set("tlsInspectionTimeout(" + timeout + ")", b -> b.tlsInspectionTimeout(timeout));
        }

        /** The calling workload: its namespace resolves short names, its labels meet {@code sourceLabels}. */
        public Builder source(String namespace, Map<String, String> labels) {
            Map<String, String> copy = Map.copyOf(labels);
            return set("source(" + namespace + ", " + copy + ")", b -> b.source(namespace, copy));
        }

        public Builder bindAddress(String address) {
            return set("bindAddress(" + address + ")", b -> b.bindAddress(address));
        }

        public Builder port(int port) {
            return set("port(" + port + ")", b -> b.port(port));
        }

        public Builder ioThreads(int threads) {
            return set("ioThreads(" + threads + ")", b -> b.ioThreads(threads));
        }

        /** The proxy's clock: outlier ejection, circuit state and journal times follow it. */
        public Builder clock(Clock clock) {
            return set("clock(" + clock + ")", b -> b.clock(clock));
        }

        /**
         * The proxy's timers and journal on {@code time}, which the test moves ({@link MeshTest#virtualTime()}).
         * With {@link #perMethod} every test's proxy shares it.
         */
        public Builder virtualTime(VirtualTime time) {
            this.virtualTime = Objects.requireNonNull(time, "time");   // the toxics under the sidecar run on it too
            return this;
        }

        /** See {@link MeshProxy.Builder#mirrorLimits}. */
        public Builder mirrorLimits(int maxBodyBytes, int maxInFlight, Duration timeout) {
            return set("mirrorLimits(" + maxBodyBytes + ", " + maxInFlight + ", " + timeout + ")",
                    b -> b.mirrorLimits(maxBodyBytes, maxInFlight, timeout));
        }

        /** Any setting of the core builder, applied after the ones above: {@code proxy(b -> b.ioThreads(1))}. */
        public Builder proxy(Consumer<MeshProxy.Builder> customizer) {
            return set("proxy(...)", Objects.requireNonNull(customizer, "customizer"));
        }

        private Builder set(String name, Consumer<MeshProxy.Builder> apply) {
            proxy.add(new ProxySetting(name, apply));
            return this;
        }

        public MeshExtension build() {
            return new MeshExtension(new MeshSettings(sources, config, placeholders, applyInOrder, perMethod, jvmWideProxy,
                    proxy, toxics, seed, virtualTime));
        }
    }
}
