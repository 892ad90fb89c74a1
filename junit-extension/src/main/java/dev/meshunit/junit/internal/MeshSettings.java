package dev.meshunit.junit.internal;

import dev.meshunit.config.IstioConfig;
import dev.meshunit.junit.MeshTest;
import java.util.List;
import java.util.Map;

/**
 * What a proxy for a test class is started with, from {@link MeshTest} or from {@code MeshExtension.builder()}.
 *
 * @param config YAML already loaded, or null to load {@code sources}
 * @param placeholders bound before the {@code @Backend} fields are read
 */
public record MeshSettings(List<String> sources, IstioConfig config, Map<String, String> placeholders, long seed,
        boolean perMethod, boolean listenerPerService, boolean jvmWideProxy) {

    public MeshSettings {
        sources = List.copyOf(sources);
        placeholders = Map.copyOf(placeholders);
    }

    public static MeshSettings of(MeshTest a) {
        return new MeshSettings(List.of(a.config()), null, Map.of(), a.seed(), a.perMethod(), a.listenerPerService(),
                a.jvmWideProxy());
    }
}
