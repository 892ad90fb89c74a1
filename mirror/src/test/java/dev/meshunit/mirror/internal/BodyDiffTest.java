package dev.meshunit.mirror.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.mirror.Difference;
import org.junit.jupiter.api.Test;

class BodyDiffTest {
    @Test
    void jsonIsComparedFieldByFieldWithPaths() {
        assertThat(BodyDiff.diff("""
                {"a": {"b": 1, "c": [1, 2, 3]}, "odd key": true, "n": 1.0}""", """
                {"a": {"b": 2, "c": [1, 2]}, "odd key": false, "n": 1}"""))
                .extracting(Difference::toString)
                .containsExactly("$.a.b: 1 -> 2", "$.a.c[2]: 3 -> (absent)", "$['odd key']: true -> false");
    }

    @Test
    void typeChangesAreOneDifference() {
        assertThat(BodyDiff.diff("{\"a\": {\"b\": 1}}", "{\"a\": [1]}")).extracting(Difference::where).containsExactly("$.a");
    }

    @Test
    void textIsComparedLineByLine() {
        assertThat(BodyDiff.diff("one\ntwo\nthree\nfour", "one\nTWO\nthree\nfour\nfive"))
                .extracting(Difference::toString)
                .containsExactly("line 2: two -> TWO", "line 5: (absent) -> five");
        assertThat(BodyDiff.diff("a\nb\nc", "a\nc")).extracting(Difference::toString).containsExactly("line 2: b -> (absent)");
    }

    @Test
    void jsonAgainstTextFallsBackToLines() {
        assertThat(BodyDiff.diff("{\"a\": 1}", "not json")).extracting(Difference::where).containsExactly("line 1");
    }

    @Test
    void pathPatterns() {
        assertThat(JsonPaths.matches("$.items[*].id", "$.items[3].id")).isTrue();
        assertThat(JsonPaths.matches("$.items[*].id", "$.items[3].sku")).isFalse();
        assertThat(JsonPaths.matches("$.*.id", "$.user.id")).isTrue();
        assertThat(JsonPaths.matches("$.meta", "$.meta.took")).isTrue();
        assertThat(JsonPaths.matches("$.meta", "$.metadata")).isFalse();
        assertThat(JsonPaths.matches("$['odd key']", "$['odd key']")).isTrue();
        assertThat(JsonPaths.matches("status", "status")).isTrue();
        assertThat(JsonPaths.generalize("$.a[1].b[22]")).isEqualTo("$.a[*].b[*]");
    }
}
