package dev.meshunit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Events;

/**
 * The exploration of {@link ProductPageFaultExploration}, run three times in a nested engine: exactly the faults
 * on details fail (it has no fallback), every fault on reviews passes (it has one), the same on every run, in 7
 * runs against a cap of 10.
 */
class FaultExplorationExampleTest {
    static final List<String> FAILING = List.of(
            "[2] details GET /details/1 × abort 503",
            "[3] details GET /details/1 × abort 500",
            "[4] details GET /details/1 × delay 4.5s");
    static final List<String> PASSING = List.of(
            "[1] no faults (records the calls)",
            "[5] reviews GET /reviews/1 × abort 503",
            "[6] reviews GET /reviews/1 × abort 500",
            "[7] reviews GET /reviews/1 × delay 4.5s");

    static final String SUMMARY = """

            Fault exploration of ProductPageFaultExploration.productPageAnswers(Mesh): 7 runs (cap 10), 3 failed
              call                     abort 503   abort 500   delay 4.5s
              details GET /details/1   FAILED      FAILED      FAILED
              reviews GET /reviews/1   passed      passed      passed
            no faults: passed
            """;

    @Test
    void findsExactlyTheMissingFallbackOnThreeRuns() {
        for (int run = 1; run <= 3; run++) {
            EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                    .selectors(selectClass(ProductPageFaultExploration.class)).execute();
            Events tests = results.testEvents();

            assertThat(names(tests.failed())).as("run %d: failed, for %s", run, failures(tests)).containsExactlyElementsOf(FAILING);
            assertThat(names(tests.succeeded())).as("run %d: passed", run).containsExactlyElementsOf(PASSING);
            assertThat(tests.started().count()).as("run %d: invocations within the cap of 10", run).isEqualTo(7);
            assertThat(results.allEvents().reportingEntryPublished().stream()
                    .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs().get("meshunit.exploration"))
                    .filter(java.util.Objects::nonNull)).as("run %d: summary", run).containsExactly(SUMMARY);
        }
    }

    /** Why each run failed, for the message when this test fails. */
    static List<String> failures(Events tests) {
        return tests.failed().stream().map(e -> e.getTestDescriptor().getDisplayName() + ": "
                + e.getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class).getThrowable()
                        .map(t -> t.toString().replaceAll("\\s+", " "))
                        .orElse("?")).toList();
    }

    static List<String> names(Events events) {
        return events.stream().map(e -> e.getTestDescriptor().getDisplayName()).toList();
    }
}
