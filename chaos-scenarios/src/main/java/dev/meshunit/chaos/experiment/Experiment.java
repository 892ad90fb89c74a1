package dev.meshunit.chaos.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A Chaos Toolkit experiment, read and checked ({@link ExperimentReader}): the steady-state hypothesis (null when
 * none), the method, the rollbacks, the runtime strategies, and MeshUnit's extension (null when absent).
 * Placeholders ({@code ${name}}) are already replaced from the configuration; {@code raw} is the file as written.
 */
public record Experiment(String source, ObjectNode raw, String title, Hypothesis hypothesis, List<Activity> method,
        List<Activity> rollbacks, HypothesisStrategy hypothesisStrategy, double hypothesisFrequencySeconds,
        RollbackStrategy rollbackStrategy, JsonNode meshunit) {

    public Experiment {
        method = List.copyOf(method);
        rollbacks = List.copyOf(rollbacks);
    }

    /** The steady-state hypothesis: a title and the probes, each with a tolerance. */
    public record Hypothesis(String title, List<Activity> probes) {
        public Hypothesis {
            probes = List.copyOf(probes);
        }
    }

    /** When the hypothesis is checked, as Chaos Toolkit's {@code runtime.hypothesis.strategy} says. */
    public enum HypothesisStrategy {
        DEFAULT("default"), BEFORE_METHOD_ONLY("before-method-only"), AFTER_METHOD_ONLY("after-method-only"),
        DURING_METHOD_ONLY("during-method-only"), CONTINUOUSLY("continuously");

        public final String spelling;

        HypothesisStrategy(String spelling) {
            this.spelling = spelling;
        }

        boolean before() {
            return this == DEFAULT || this == BEFORE_METHOD_ONLY || this == CONTINUOUSLY;
        }

        boolean after() {
            return this == DEFAULT || this == AFTER_METHOD_ONLY || this == CONTINUOUSLY;
        }

        boolean during() {
            return this == DURING_METHOD_ONLY || this == CONTINUOUSLY;
        }
    }

    /** When rollbacks are played, as Chaos Toolkit's {@code runtime.rollbacks.strategy} / {@code --rollback-strategy}. */
    public enum RollbackStrategy {
        ALWAYS("always"), DEFAULT("default"), NEVER("never"), DEVIATED("deviated");

        public final String spelling;

        RollbackStrategy(String spelling) {
            this.spelling = spelling;
        }
    }
}
