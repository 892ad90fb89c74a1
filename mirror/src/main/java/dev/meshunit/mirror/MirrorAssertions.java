package dev.meshunit.mirror;

import dev.meshunit.mirror.internal.JsonPaths;
import java.util.Arrays;
import java.util.List;

/**
 * Assertions on a comparison, for any test framework (they throw {@link AssertionError}):
 * {@code MirrorAssertions.assertThat(comparison.compare()).hasNoDifferences()}. Failures show the first
 * differing exchanges with their differences.
 */
public final class MirrorAssertions {
    private MirrorAssertions() {}

    public static ComparisonAssert assertThat(ComparisonResult actual) {
        return new ComparisonAssert(actual);
    }

    /** Assertions on one comparison result. */
    public static final class ComparisonAssert {
        private final ComparisonResult actual;
        private int shown = 10;

        private ComparisonAssert(ComparisonResult actual) {
            if (actual == null) throw new AssertionError("expected a comparison result, got null");
            this.actual = actual;
        }

        /** How many differing exchanges a failure message shows (10 by default). */
        public ComparisonAssert showingFirst(int exchanges) {
            this.shown = exchanges;
            return this;
        }

        /** At least one exchange was compared, and none differs. */
        public ComparisonAssert hasNoDifferences() {
            comparedSomething();
            if (actual.hasDifferences()) {
                throw new AssertionError("expected no differences between primary and candidate, but "
                        + actual.report(shown));
            }
            return this;
        }

        /** Every difference is at one of the given JSON path patterns (or {@code status}, {@code header x}). */
        public ComparisonAssert differsOnlyIn(String... patterns) {
            comparedSomething();
            List<Difference> outside = actual.differences().stream()
                    .filter(d -> Arrays.stream(patterns).noneMatch(p -> JsonPaths.matches(p, d.where()))).toList();
            if (!outside.isEmpty()) {
                throw new AssertionError("expected differences only in " + Arrays.toString(patterns) + ", but "
                        + outside.size() + " are elsewhere, e.g. " + outside.subList(0, Math.min(shown, outside.size()))
                        + "\n" + actual.report(shown));
            }
            return this;
        }

        /** Some exchange differs at the given JSON path pattern. */
        public ComparisonAssert differsIn(String pattern) {
            if (actual.differences().stream().noneMatch(d -> JsonPaths.matches(pattern, d.where()))) {
                throw new AssertionError("expected a difference in " + pattern + ", but " + actual.report(shown));
            }
            return this;
        }

        /** At least {@code n} exchanges were compared. */
        public ComparisonAssert comparedAtLeast(int n) {
            if (actual.compared() < n) {
                throw new AssertionError("expected at least " + n + " compared exchanges, but " + actual.report(shown)
                        + skippedReasons());
            }
            return this;
        }

        private void comparedSomething() {
            if (actual.compared() == 0) {
                throw new AssertionError("no exchange was compared: are requests mirrored, is the candidate selector "
                        + "right, does the proxy record bodies (MeshProxy.Builder.recordBodies)?" + skippedReasons());
            }
        }

        private String skippedReasons() {
            if (actual.skipped().isEmpty()) return "";
            return "\nnot compared: " + actual.skipped().subList(0, Math.min(shown, actual.skipped().size()));
        }
    }
}
