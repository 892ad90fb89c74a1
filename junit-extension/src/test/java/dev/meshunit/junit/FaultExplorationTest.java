package dev.meshunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** {@link ExploreFaults} in a nested engine: expected failures, the cap and its seed, pruning, misuse. */
class FaultExplorationTest {
    static final TinyBackend BACKEND = TinyBackend.start("ok");

    @AfterAll
    static void stop() {
        BACKEND.close();
    }

    static EngineExecutionResults run(Class<?> c) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(c)).execute();
    }

    static List<String> names(Events events) {
        return events.stream().map(e -> e.getTestDescriptor().getDisplayName()).toList();
    }

    static String summary(EngineExecutionResults r) {
        return r.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs().get(FaultExplorer.SUMMARY_KEY))
                .filter(java.util.Objects::nonNull).findFirst().orElseThrow();
    }

    static int get(Mesh mesh, String url) throws Exception {
        return mesh.httpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), BodyHandlers.discarding()).statusCode();
    }

    @Test
    void acceptedFailuresPassAndAreNamedSo() {
        EngineExecutionResults r = run(TwoCalls.class);

        assertThat(names(r.testEvents().succeeded())).containsExactly("[1] no faults (records the calls)",
                "[2] ratings GET /ratings/1 × abort 503");
        assertThat(names(r.testEvents().failed())).containsExactly("[3] reviews GET /reviews/1 × abort 503");
        assertThat(summary(r)).contains("ratings GET /ratings/1   failed (expected)", "reviews GET /reviews/1   FAILED",
                "3 runs (cap 100), 1 failed");
    }

    /** The summary page links every run to its timeline (temporary files here: the test kit has no output directory). */
    @Test
    void summaryPageLinksEachRunToItsTimeline() throws Exception {
        EngineExecutionResults r = run(TwoCalls.class);
        List<String> timelines = r.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs().get("meshunit.file." + MeshTimeline.FILE))
                .filter(java.util.Objects::nonNull).toList();
        String page = r.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs().get("meshunit.file." + FaultExplorer.SUMMARY_FILE))
                .filter(java.util.Objects::nonNull).findFirst().orElseThrow();

        assertThat(timelines).hasSize(3);
        String html = java.nio.file.Files.readString(java.nio.file.Path.of(URI.create(page)));
        for (String t : timelines) {
            assertThat(html).contains("<a href=\"" + t + "\">timeline</a>");
            assertThat(java.nio.file.Files.readString(java.nio.file.Path.of(URI.create(t)))).contains("\"exchanges\":[{");
        }
        assertThat(html).contains("<tr class=\"FAILED\"><td>3</td><td>reviews GET /reviews/1 × abort 503</td>");
    }

    @Test
    void theCapIsKeptAndTheSeedMakesItRepeatable() {
        EngineExecutionResults first = run(Capped.class);
        EngineExecutionResults second = run(Capped.class);

        assertThat(first.testEvents().started().count()).isEqualTo(4);
        assertThat(names(first.testEvents().started())).first().isEqualTo("[1] no faults (records the calls)");
        assertThat(names(second.testEvents().started())).isEqualTo(names(first.testEvents().started()));
        assertThat(summary(first)).contains("4 runs (cap 4)", "3 combinations not run: the cap of 4 runs was reached",
                "not run");
    }

    /** A run with faults is extended only by the calls it made: no run puts faults on both /a and its fallback's sibling. */
    @Test
    void runsAreExtendedOnlyByTheCallsTheyMade() {
        EngineExecutionResults r = run(Fallback.class);

        assertThat(names(r.testEvents().started())).containsExactly(
                "[1] no faults (records the calls)",
                "[2] ratings GET /a × abort 503",
                "[3] ratings GET /b × abort 503",
                "[4] ratings GET /a × abort 503 + reviews GET /fallback × abort 503",
                "[5] ratings GET /b × abort 503 + ratings GET /a × abort 503");
        assertThat(names(r.testEvents().failed())).containsExactly("[3] ratings GET /b × abort 503",
                "[4] ratings GET /a × abort 503 + reviews GET /fallback × abort 503");
        assertThat(summary(r)).contains("ratings GET /a × abort 503 + reviews GET /fallback × abort 503: FAILED")
                .doesNotContain("not explored");
    }

    /** With one fault per run, a call that happens only under a fault (a fallback) is named as unexplored. */
    @Test
    void callsSeenOnlyUnderFaultsAreNamed() {
        EngineExecutionResults r = run(FallbackOneFault.class);
        assertThat(r.testEvents().started().count()).isEqualTo(3);
        assertThat(summary(r)).contains("calls made only under faults, not explored (maxFaultsPerRun): [reviews GET /fallback]");
    }

    /** One endpoint, two operations told apart by a header: each is a call of its own, and only it is hit. */
    @Test
    void aCallKeyTellsCallsToOnePathApart() {
        EngineExecutionResults r = run(KeyedCalls.class);

        assertThat(names(r.testEvents().started())).containsExactly("[1] no faults (records the calls)",
                "[2] ratings POST /graphql [x-operation=stars] × abort 503",
                "[3] ratings POST /graphql [x-operation=count] × abort 503");
        assertThat(names(r.testEvents().failed())).containsExactly("[3] ratings POST /graphql [x-operation=count] × abort 503");
    }

    @Test
    void aTestThatFailsWithoutFaultsIsNotExplored() {
        EngineExecutionResults r = run(FailsAnyway.class);
        assertThat(names(r.testEvents().started())).containsExactly("[1] no faults (records the calls)");
        assertThat(summary(r)).contains("no faults: FAILED: nothing explored, the test fails without faults");
    }

    @Test
    void misuseIsNamed() {
        Events noMesh = run(NoMesh.class).testEvents();
        assertThat(noMesh.failed().stream().map(e -> e.getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class)
                .getThrowable().orElseThrow().getMessage()))
                .containsExactly("@ExploreFaults needs a MeshUnit proxy: annotate NoMesh with @MeshTest (or register MeshExtension)");

        Events badBudget = run(BadBudget.class).allEvents();
        assertThat(badBudget.failed().stream().map(e -> e.getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class)
                .getThrowable().orElseThrow().getMessage()))
                .containsExactly("@ExploreFaults on BadBudget.explore: budget must look like 250ms, 2s or PT2S (was \"soon\")");
    }

    @MeshTest(config = {"mesh/ratings", "mesh/reviews"})
    @ExpectFailureWhen(service = "ratings", fault = ExploredFault.ABORT_503)
    static class TwoCalls {
        @Backend("ratings") static final int RATINGS = BACKEND.port();
        @Backend("reviews-v1") static final int V1 = BACKEND.port();
        @Backend("reviews-v2") static final int V2 = BACKEND.port();

        @ExploreFaults(faults = ExploredFault.ABORT_503)
        void both(Mesh mesh) throws Exception {
            assertThat(get(mesh, "http://ratings:9080/ratings/1")).isEqualTo(200);
            assertThat(get(mesh, "http://reviews:9080/reviews/1")).isEqualTo(200);
        }
    }

    @MeshTest(config = "mesh/ratings")
    static class Capped {
        @Backend("ratings") static final int RATINGS = BACKEND.port();

        @ExploreFaults(faults = {ExploredFault.ABORT_503, ExploredFault.ABORT_500}, maxInvocations = 4, seed = 7)
        void threeCalls(Mesh mesh) throws Exception {
            for (String p : List.of("/x", "/y", "/z")) get(mesh, "http://ratings:9080" + p);
        }
    }

    @MeshTest(config = {"mesh/ratings", "mesh/reviews"})
    static class Fallback {
        @Backend("ratings") static final int RATINGS = BACKEND.port();
        @Backend("reviews-v1") static final int V1 = BACKEND.port();
        @Backend("reviews-v2") static final int V2 = BACKEND.port();

        @ExploreFaults(faults = ExploredFault.ABORT_503, maxFaultsPerRun = 2)
        void fallsBack(Mesh mesh) throws Exception {
            int status = get(mesh, "http://ratings:9080/a") == 200 ? get(mesh, "http://ratings:9080/b")
                    : get(mesh, "http://reviews:9080/fallback");
            assertThat(status).isEqualTo(200);
        }
    }

    static class FallbackOneFault extends Fallback {
        @Override
        @ExploreFaults(faults = ExploredFault.ABORT_503)
        void fallsBack(Mesh mesh) throws Exception {
            super.fallsBack(mesh);
        }
    }

    @MeshTest(config = "mesh/ratings")
    static class KeyedCalls {
        @Backend("ratings") static final int RATINGS = BACKEND.port();

        static int post(Mesh mesh, String operation) throws Exception {
            return mesh.httpClient().send(HttpRequest.newBuilder(URI.create("http://ratings:9080/graphql"))
                    .header("x-operation", operation).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    BodyHandlers.discarding()).statusCode();
        }

        @ExploreFaults(faults = ExploredFault.ABORT_503, callKey = "x-operation")
        void stars(Mesh mesh) throws Exception {
            int stars = post(mesh, "stars");   // optional: the page shows no stars without it
            assertThat(post(mesh, "count")).isEqualTo(200);
            assertThat(stars).isIn(200, 503);
        }
    }

    @MeshTest(config = "mesh/ratings")
    static class FailsAnyway {
        @Backend("ratings") static final int RATINGS = BACKEND.port();

        @ExploreFaults
        void broken(Mesh mesh) throws Exception {
            get(mesh, "http://ratings:9080/x");
            throw new AssertionError("broken without faults");
        }
    }

    static class NoMesh {
        @ExploreFaults
        void explore() {}
    }

    @MeshTest(config = "mesh/ratings")
    static class BadBudget {
        @Backend("ratings") static final int RATINGS = BACKEND.port();

        @ExploreFaults(budget = "soon")
        void explore() {}
    }
}
