package dev.meshunit.config.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Istio's own samples must load: MeshUnit reads real configs, not a dialect. */
class SamplesTest {
    private final ConfigLoader loader = ConfigLoader.create();

    static Path samples() {
        Path p = Path.of(System.getProperty("meshunit.samples", "/work/shared/istio-samples"));
        if (!Files.isDirectory(p)) p = Path.of("/work/shared/istio-samples");
        Assumptions.assumeTrue(Files.isDirectory(p), "Istio samples not found");
        return p;
    }

    static Stream<Path> files() throws IOException {
        try (Stream<Path> walk = Files.walk(samples())) {
            return walk.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    /** Files are applied one by one in Istio's docs, so subsets may live in another file (IST0101). */
    @ParameterizedTest
    @MethodSource("files")
    void everySampleFileLoadsWithoutErrors(Path file) {
        LoadResult result = loader.load(file);
        assertThat(result.errors()).filteredOn(p -> !"IST0101".equals(p.code())).isEmpty();
    }

    @Test
    void bookinfoRoutesLoadTogetherWithTheirDestinationRules() throws IOException {
        Path networking = samples().resolve("bookinfo/networking");
        List<Path> routes;
        try (Stream<Path> list = Files.list(networking)) {
            routes = list.filter(f -> f.getFileName().toString().startsWith("virtual-service-")).sorted().toList();
        }
        assertThat(routes).isNotEmpty();
        for (Path vs : routes) {
            LoadResult result = loader.load(networking.resolve("destination-rule-all.yaml"), vs);
            assertThat(result.errors()).as(vs.toString()).isEmpty();
            assertThat(result.config().virtualServices()).isNotEmpty();
        }
    }

    @Test
    void otherKindsAreSkippedWithAWarningNamingFileLineAndKind() {
        Path file = samples().resolve("bookinfo/networking/bookinfo-gateway.yaml");
        LoadResult result = loader.load(file);
        assertThat(result.warnings()).anySatisfy(w ->
                assertThat(w.toString()).startsWith("warning: " + file + ":").contains("skipped Gateway"));
    }

    @Test
    void wholeFolderLoadsResourcesOfAllKinds() {
        LoadResult result = loader.load(samples());
        assertThat(result.config().virtualServices()).hasSizeGreaterThan(20);
        assertThat(result.config().destinationRules()).hasSizeGreaterThan(10);
        assertThat(result.config().serviceEntries()).hasSize(7);
    }
}
