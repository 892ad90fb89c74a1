package dev.meshunit.mirror;

import static dev.meshunit.mirror.ShadowComparison.subset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Primary v1, secondary v1b, candidate v2, over real sockets: what the comparison reports and leaves out. */
class ShadowComparisonTest {
    private static final int N = 20;

    /** The v1 code: stable fields, plus a timestamp and random ids that differ on every answer. */
    static final Function<String, String> NOISY_V1 = path -> """
            {"user": {"id": %s, "name": "Ann"}, "items": [{"id": "%s", "sku": "a"}, {"id": "%s", "sku": "b"}],
             "timestamp": "%d", "requestId": "%s"}""".formatted(path.substring(7), UUID.randomUUID(),
            UUID.randomUUID(), System.nanoTime(), UUID.randomUUID());
    static final Function<String, String> NOISY_V2_RENAMED = path -> NOISY_V1.apply(path).replace("\"name\"", "\"fullName\"");
    static final Function<String, String> STABLE = path -> "{\"user\": {\"id\": " + path.substring(7) + ", \"name\": \"Ann\"}}";

    private static ComparisonResult run(Function<String, String> v1, Function<String, String> v2,
                                        Function<ShadowComparison.Builder, ShadowComparison.Builder> settings) {
        try (JsonService primary = new JsonService(v1); JsonService secondary = new JsonService(v1);
             JsonService candidate = new JsonService(v2); Mesh mesh = new Mesh(primary, secondary, candidate)) {
            mesh.get(N);
            ShadowComparison comparison = settings.apply(ShadowComparison.on(mesh.proxy.journal())
                    .candidate(subset("v2"))).build();
            comparison.awaitShadows(N, Duration.ofSeconds(20));
            return comparison.compare();
        }
    }

    @Test
    void identicalServicesReportNoDifference() {
        ComparisonResult result = run(STABLE, STABLE, b -> b);
        MirrorAssertions.assertThat(result).comparedAtLeast(N).hasNoDifferences();
        assertThat(result.routes()).containsOnlyKeys("users/by-id");
        assertThat(result.routes().get("users/by-id").equal()).isEqualTo(N);
    }

    @Test
    void aRenamedFieldIsReportedWithItsPath() {
        ComparisonResult result = run(STABLE, p -> STABLE.apply(p).replace("name", "fullName"), b -> b);
        MirrorAssertions.assertThat(result).differsIn("$.user.name").differsOnlyIn("$.user.name", "$.user.fullName");
        assertThat(result.different()).isEqualTo(N);
        assertThat(result.routes().get("users/by-id").byField()).isEqualTo(Map.of("$.user.name", N, "$.user.fullName", N));
        assertThatThrownBy(() -> MirrorAssertions.assertThat(result).showingFirst(2).hasNoDifferences())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("20 of 20 compared exchanges differ")
                .hasMessageContaining("$.user.name: \"Ann\" -> (absent)")
                .hasMessageContaining("$.user.fullName: (absent) -> \"Ann\"")
                .hasMessageContaining("first 2:");
        assertThatThrownBy(() -> MirrorAssertions.assertThat(result).differsOnlyIn("$.user.name"))
                .hasMessageContaining("$.user.fullName");
    }

    @Test
    void timestampsAndRandomIdsAreNoiseWhenASecondaryPrimaryIsMirroredToo() {
        ComparisonResult withoutSecondary = run(NOISY_V1, NOISY_V1, b -> b);
        MirrorAssertions.assertThat(withoutSecondary).differsIn("$.timestamp").differsIn("$.requestId")
                .differsIn("$.items[*].id");

        ComparisonResult result = run(NOISY_V1, NOISY_V1, b -> b.secondary(subset("v1b")));
        MirrorAssertions.assertThat(result).comparedAtLeast(N).hasNoDifferences();
        assertThat(result.noise().get("users/by-id"))
                .containsExactlyInAnyOrder("$.timestamp", "$.requestId", "$.items[*].id");
        assertThat(result.exchanges()).allSatisfy(e -> assertThat(e.noise()).hasSize(4));
    }

    @Test
    void noiseIsLeftOutAndTheRealChangeStillReported() {
        ComparisonResult result = run(NOISY_V1, NOISY_V2_RENAMED, b -> b.secondary(subset("v1b")));
        MirrorAssertions.assertThat(result).differsOnlyIn("$.user.name", "$.user.fullName");
        assertThat(result.differences()).hasSize(2 * N);
    }

    @Test
    void ignoreRulesTakeWildcards() {
        ComparisonResult result = run(NOISY_V1, NOISY_V1,
                b -> b.ignoring("$.timestamp", "$.requestId", "$.items[*].id"));
        MirrorAssertions.assertThat(result).hasNoDifferences();
        assertThat(result.exchanges().get(0).ignored()).hasSize(4);
    }

    @Test
    void headersAreComparedWhenChosenAndIgnoredByName() {
        ComparisonResult compared = run(STABLE, STABLE, b -> b.comparingHeaders("content-type", "date-ish"));
        MirrorAssertions.assertThat(compared).differsOnlyIn("header date-ish");
        ComparisonResult ignored = run(STABLE, STABLE,
                b -> b.comparingHeaders("content-type", "date-ish").ignoringHeaders("Date-Ish"));
        MirrorAssertions.assertThat(ignored).hasNoDifferences();
    }

    @Test
    void aFailingCandidateIsAStatusDifference() {
        try (JsonService primary = new JsonService(STABLE); JsonService secondary = new JsonService(STABLE);
             JsonService candidate = new JsonService(500, p -> "oops"); Mesh mesh = new Mesh(primary, secondary, candidate)) {
            mesh.get(3);
            ShadowComparison comparison = ShadowComparison.on(mesh.proxy.journal()).candidate(subset("v2")).build();
            comparison.awaitShadows(3, Duration.ofSeconds(20));
            ComparisonResult result = comparison.compare();
            MirrorAssertions.assertThat(result).differsIn("status");
            assertThat(result.exchanges().get(0).differences().get(0).toString()).isEqualTo("status: 200 -> 500");
        }
    }

    @Test
    void reportsAreWrittenAsJsonAndSelfContainedHtml(@TempDir Path dir) throws Exception {
        ComparisonResult result = run(NOISY_V1, NOISY_V2_RENAMED, b -> b.secondary(subset("v1b")).ignoring("$.meta"));
        ComparisonReport.of(result).writeJson(dir.resolve("out/comparison.json")).writeHtml(dir.resolve("comparison.html"));

        JsonNode json = new ObjectMapper().readTree(dir.resolve("out/comparison.json").toFile());
        assertThat(json.at("/summary/compared").asInt()).isEqualTo(N);
        assertThat(json.at("/summary/different").asInt()).isEqualTo(N);
        assertThat(json.at("/routes/0/byField").toString()).contains("\"$.user.name\":" + N);
        assertThat(json.at("/noise/users~1by-id").toString()).contains("$.timestamp");
        assertThat(json.at("/exchanges/0/differences/0/where").asText()).isEqualTo("$.user.name");

        String html = Files.readString(dir.resolve("comparison.html"));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("20 of 20 compared exchanges differ")
                .contains("<code>$.user.fullName</code>").doesNotContain("<script").doesNotContain("http://")
                .doesNotContain("https://");
    }
}
