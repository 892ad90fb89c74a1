package dev.meshunit.chaos.containers;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.journal.Journal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.lifecycle.Startables;

/**
 * A {@link MeshProxy} in front of containers, with Testcontainers' lifecycle: {@link #start()} starts the
 * containers it depends on, then loads the config (placeholders resolved against their mapped ports) and
 * binds the proxy on 127.0.0.1. As a {@code @Container} field it starts and stops with the test class.
 * <pre>{@code
 * @Container static final GenericContainer<?> web = new GenericContainer<>("tc-local/busybox:1").withExposedPorts(80);
 * @Container static final MeshSidecar mesh = MeshSidecar.builder()
 *         .bind("web", web, 80)                    // ${web.host}, ${web.port}
 *         .yaml("mesh.yaml", MESH_YAML)            // ServiceEntry "web" with those endpoints, VirtualService with faults
 *         .proxy(p -> p.seed(42))
 *         .build();
 * }</pre>
 */
public final class MeshSidecar implements Startable {
    private final Set<Startable> dependencies;
    private final List<Function<ConfigLoader, IstioConfig>> sources;
    private final ContainerPlaceholders placeholders;
    private final Consumer<MeshProxy.Builder> settings;
    private MeshProxy proxy;

    private MeshSidecar(Builder b) {
        this.dependencies = Set.copyOf(b.dependencies);
        this.sources = List.copyOf(b.sources);
        this.placeholders = b.placeholders;
        this.settings = b.settings;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Set<Startable> getDependencies() {
        return dependencies;
    }

    /** Starts the dependencies (those already running are left alone), then the proxy. Idempotent. */
    @Override
    public synchronized void start() {
        if (proxy != null) return;
        try {
            Startables.deepStart(dependencies).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw e;
        }
        ConfigLoader loader = ConfigLoader.create().withPlaceholders(placeholders);
        IstioConfig config = IstioConfig.EMPTY;
        for (Function<ConfigLoader, IstioConfig> source : sources) config = config.plus(source.apply(loader));
        MeshProxy.Builder builder = MeshProxy.builder().config(config);
        settings.accept(builder);
        proxy = builder.start();
    }

    /** Closes the proxy; the containers are stopped by whoever started them (Testcontainers for fields). */
    @Override
    public synchronized void stop() {
        if (proxy == null) return;
        try {
            proxy.close();
        } finally {
            proxy = null;
        }
    }

    /** The running proxy; fails before {@link #start()}. */
    public synchronized MeshProxy proxy() {
        if (proxy == null) throw new IllegalStateException("MeshSidecar is not started");
        return proxy;
    }

    public InetSocketAddress address() {
        return proxy().address();
    }

    public int port() {
        return proxy().port();
    }

    public URI uri() {
        return proxy().uri();
    }

    /** The listener of a service port (with {@code proxy(p -> p.listenerPerService(true))}). */
    public InetSocketAddress serviceAddress(String service) {
        return proxy().serviceAddress(service);
    }

    public Journal journal() {
        return proxy().journal();
    }

    public static final class Builder {
        private final Set<Startable> dependencies = new LinkedHashSet<>();
        private final List<Function<ConfigLoader, IstioConfig>> sources = new ArrayList<>();
        private final ContainerPlaceholders placeholders = ContainerPlaceholders.create();
        private Consumer<MeshProxy.Builder> settings = b -> {};

        private Builder() {}

        /** Placeholders {@code ${name.host}}, {@code ${name.port}} for the container's port; it starts first. */
        public Builder bind(String name, GenericContainer<?> container, int containerPort) {
            placeholders.bind(name, container, containerPort);
            dependencies.add(container);
            return this;
        }

        /** Other things to start before the proxy (e.g. containers named by a {@link #config} supplier). */
        public Builder dependsOn(Startable... startables) {
            dependencies.addAll(List.of(startables));
            return this;
        }

        /** Istio YAML, placeholders resolved at start; {@code displayName} names it in problems. */
        public Builder yaml(String displayName, String yaml) {
            Objects.requireNonNull(yaml, "yaml");
            sources.add(loader -> loader.loadString(displayName, yaml).orThrow());
            return this;
        }

        /** Istio YAML from classpath resources, placeholders resolved at start. */
        public Builder resources(String... names) {
            List<String> copy = List.of(names);
            sources.add(loader -> loader.loadResources(copy.toArray(String[]::new)).orThrow());
            return this;
        }

        /** Config built in Java at start, once the containers run, e.g. with {@link ContainerEndpoints}. */
        public Builder config(Supplier<IstioConfig> config) {
            Objects.requireNonNull(config, "config");
            sources.add(loader -> config.get());
            return this;
        }

        /** Proxy settings other than the config: seed, listenerPerService, retry defaults... */
        public Builder proxy(Consumer<MeshProxy.Builder> settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public MeshSidecar build() {
            return new MeshSidecar(this);
        }
    }
}
