package dev.meshunit.junit.internal;

import dev.meshunit.MeshProxy;
import dev.meshunit.VirtualTime;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.LoadResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a proxy for a test class is started with, from {@code @MeshTest} or from {@code MeshExtension.builder()}.
 *
 * @param config YAML already loaded, or null to load {@code sources}
 * @param placeholders bound before the {@code @Backend} fields are read
 * @param applyInOrder load the sources as {@code kubectl apply} would, in order: a later resource of the same
 *     kind and name replaces an earlier one
 * @param proxy the core settings, in the order given (a later one wins)
 * @param toxics put meshunit-chaos' toxic proxies under the upstream connections ({@code mesh.toxics()})
 * @param seed the proxy's seed, which seeds the toxics' draws too
 * @param virtualTime the proxy's virtual time, or null; the toxics' delays run on it too
 */
public record MeshSettings(List<String> sources, IstioConfig config, Map<String, String> placeholders,
        boolean applyInOrder, boolean perMethod, boolean jvmWideProxy, List<ProxySetting> proxy,
        boolean toxics, long seed, VirtualTime virtualTime) {

    public MeshSettings {
        sources = List.copyOf(sources);
        placeholders = Map.copyOf(placeholders);
        proxy = List.copyOf(proxy);
    }

    /** The config built in code, or loaded from the sources; the loader's warnings shown once per class. */
    public IstioConfig config(ExtensionContext context, Map<String, String> placeholders) {
        if (config != null) return config;
        LoadResult loaded = ConfigSources.load(context.getRequiredTestClass(), sources.toArray(String[]::new),
                placeholders, applyInOrder);
        ConfigWarnings.show(context, loaded.warnings(), System.err);
        return loaded.config();
    }

    /**
     * The core builder with every setting applied; the extension's own default first (one listener per
     * service). A value the core refuses fails the class, naming the setting.
     */
    public MeshProxy.Builder proxyBuilder(IstioConfig loaded, String owner) {
        MeshProxy.Builder builder = MeshProxy.builder().listenerPerService(true).config(loaded);
        if (virtualTime != null) builder.virtualTime(virtualTime);
        for (ProxySetting setting : proxy) {
            try {
                setting.apply().accept(builder);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new ExtensionConfigurationException(owner + ": " + setting.name() + ": " + e.getMessage(), e);
            }
        }
        return builder;
    }
}
