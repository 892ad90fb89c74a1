package dev.meshunit.config.load.istio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.config.load.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Istio's analyzer tests (pkg/config/analysis/analyzers/analyzers_test.go) with their own test data: for
 * each analyzer MeshUnit runs, the same messages (code and resource) for the same input files. Cases of
 * analyzers that need Kubernetes resources or kinds MeshUnit does not read are skipped, with the reason.
 */
class IstioAnalyzerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> istioAnalyzerTests() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/istio/analyzers/analyzers.json")) {
            for (JsonNode c : JSON.readTree(in)) {
                tests.add(DynamicTest.dynamicTest(c.get("analyzer").asText() + ": " + c.get("name").asText(), () -> check(c)));
            }
        }
        return tests.stream();
    }

    private static void check(JsonNode c) {
        Assumptions.assumeTrue(!c.has("skipped"), () -> c.path("skipped").asText());
        List<String> files = new ArrayList<>();
        c.get("inputFiles").forEach(f -> files.add("istio/analyzers/" + f.asText()));
        Set<String> codes = new java.util.HashSet<>();
        c.get("codes").forEach(code -> codes.add(code.asText()));
        List<Problem> problems = ConfigLoader.create().loadResources(files.toArray(String[]::new)).problems();
        List<String> actual = problems.stream().filter(p -> codes.contains(p.code()))
                .map(p -> p.code() + " " + p.kind() + " " + p.namespace() + "/" + p.name()).sorted().toList();
        List<String> expected = new ArrayList<>();
        for (JsonNode e : c.get("expected")) {
            String resource = e.get(1).asText();
            int space = resource.indexOf(' ');
            String name = resource.substring(space + 1);
            if (!name.contains("/")) name = "default/" + name;

            expected.add(e.get(0).asText() + " " + resource.substring(0, space) + " " + name);
        }
        assertThat(actual).as("%s", "messages " + codes + " for " + files + "; all problems:\n" + problems)
                .containsExactlyInAnyOrderElementsOf(expected);
    }
}
