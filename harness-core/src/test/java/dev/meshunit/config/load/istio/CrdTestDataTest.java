package dev.meshunit.config.load.istio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.config.load.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Istio's CRD test data (pkg/config/validation/testdata/crds, run by its openapi_test.go against both the CRD
 * schema and the webhook) for DestinationRule, ServiceEntry and WorkloadEntry: every document of a
 * {@code -valid} file loads without an error, every document of an {@code -invalid} file (the ones with
 * {@code _err}, Istio's expected message) gives one.
 */
class CrdTestDataTest {
    private static final List<String> FILES = List.of("destinationrule", "serviceentry", "workloadentry");

    /**
     * Documents the YAML parser reads otherwise than Go's: SnakeYAML (YAML 1.1) takes the unquoted IPv6
     * address {@code 001:db8::} inside a flow sequence for a mapping. Quoted, it loads.
     */
    static final java.util.Map<String, String> PARSER_DIFFERENCES = java.util.Map.of(
            "serviceentry-valid.yaml/name: full", "unquoted IPv6 address in a flow sequence: [1.2.3.4, 001:db8::]");

    @TestFactory
    Stream<DynamicNode> istioCrdTestData() throws IOException {
        List<DynamicNode> containers = new ArrayList<>();
        for (String kind : FILES) {
            for (String verdict : List.of("valid", "invalid")) {
                String file = kind + "-" + verdict + ".yaml";
                List<DynamicTest> tests = new ArrayList<>();
                for (String doc : documents(file)) {
                    if (doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) continue;
                    String name = doc.lines().map(String::trim).filter(l -> l.startsWith("name:")).findFirst().orElse("?");
                    tests.add(DynamicTest.dynamicTest(name, () -> check(file, doc, verdict.equals("valid"))));
                }
                containers.add(DynamicContainer.dynamicContainer(file, tests));
            }
        }
        return containers.stream();
    }

    private static void check(String file, String doc, boolean valid) {
        String name = doc.lines().map(String::trim).filter(l -> l.startsWith("name:")).findFirst().orElse("?");
        org.junit.jupiter.api.Assumptions.assumeFalse(PARSER_DIFFERENCES.containsKey(file + "/" + name),
                () -> PARSER_DIFFERENCES.get(file + "/" + name));
        String expected = doc.lines().filter(l -> l.startsWith("_err:")).findFirst().orElse("");
        String resource = String.join("\n", doc.lines().filter(l -> !l.startsWith("_err:")).toList());
        List<Problem> errors = ConfigLoader.create().loadString(file, resource).errors().stream()
                .filter(p -> p.code() == null).toList();
        if (valid) {
            assertThat(errors).as("%s", "Istio accepts this:\n" + resource).isEmpty();
        } else {
            assertThat(errors).as("%s", "Istio rejects this (" + expected + "):\n" + resource).isNotEmpty();
        }
    }

    private static List<String> documents(String file) throws IOException {
        try (InputStream in = CrdTestDataTest.class.getResourceAsStream("/istio/crds/" + file)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return List.of(text.split("(?m)^---\\s*$"));
        }
    }
}
