package dev.meshunit.config.build;

import dev.meshunit.config.DestinationRule;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.Metadata;
import dev.meshunit.config.ServiceEntry;
import dev.meshunit.config.VirtualService;
import dev.meshunit.config.load.ConfigException;
import dev.meshunit.config.load.ConfigValidator;
import dev.meshunit.config.load.LoadResult;
import dev.meshunit.config.load.SourceLocator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Istio config in Java, producing the same records as YAML and checked by the same {@link ConfigValidator}:
 * <pre>{@code
 * MeshConfigBuilder.create()
 *     .serviceEntry("reviews", se -> se.port(9080, "http").endpoint("127.0.0.1", 8081, Map.of("version", "v1")))
 *     .destinationRule("reviews", dr -> dr.subset("v1", "version", "v1"))
 *     .virtualService("reviews", vs -> vs.http(r -> r.route("reviews", "v1", 100)))
 *     .build();
 * }</pre>
 * Not thread-safe; each test builds its own.
 */
public final class MeshConfigBuilder {
    private static final String SOURCE = "<builder>";

    private final String namespace;
    private final List<VirtualService> virtualServices = new ArrayList<>();
    private final List<DestinationRule> destinationRules = new ArrayList<>();
    private final List<ServiceEntry> serviceEntries = new ArrayList<>();

    private MeshConfigBuilder(String namespace) {
        this.namespace = namespace;
    }

    public static MeshConfigBuilder create() {
        return new MeshConfigBuilder(Metadata.DEFAULT_NAMESPACE);
    }

    /** Resources added after this call live in {@code namespace}. */
    public MeshConfigBuilder namespace(String namespace) {
        MeshConfigBuilder b = new MeshConfigBuilder(namespace);
        b.virtualServices.addAll(virtualServices);
        b.destinationRules.addAll(destinationRules);
        b.serviceEntries.addAll(serviceEntries);
        return b;
    }

    /** A ServiceEntry named {@code host} declaring {@code host}. */
    public MeshConfigBuilder serviceEntry(String host, Consumer<ServiceEntryBuilder> spec) {
        ServiceEntryBuilder b = new ServiceEntryBuilder(host);
        spec.accept(b);
        serviceEntries.add(b.build(Metadata.of(host, namespace)));
        return this;
    }

    /** A DestinationRule named {@code host} for {@code host}. */
    public MeshConfigBuilder destinationRule(String host, Consumer<DestinationRuleBuilder> spec) {
        DestinationRuleBuilder b = new DestinationRuleBuilder();
        spec.accept(b);
        destinationRules.add(b.build(Metadata.of(host, namespace), host));
        return this;
    }

    /** A VirtualService named {@code host} for {@code host} (more hosts via {@link VirtualServiceBuilder#host}). */
    public MeshConfigBuilder virtualService(String host, Consumer<VirtualServiceBuilder> spec) {
        VirtualServiceBuilder b = new VirtualServiceBuilder(host);
        spec.accept(b);
        virtualServices.add(b.build(Metadata.of(host, namespace)));
        return this;
    }

    /** The config with every validation finding (positions read {@code <builder>}), without throwing. */
    public LoadResult result() {
        IstioConfig config = new IstioConfig(virtualServices, destinationRules, serviceEntries, null);
        return new LoadResult(config, new ConfigValidator().validate(config, SourceLocator.fixed(SOURCE)));
    }

    /** @throws ConfigException listing every error, as for YAML */
    public IstioConfig build() {
        return result().orThrow();
    }
}
