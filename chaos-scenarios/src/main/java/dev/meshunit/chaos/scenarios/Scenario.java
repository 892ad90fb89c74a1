package dev.meshunit.chaos.scenarios;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A named, parameterised chaos scenario: its steps (faults and toxics, each held for a while) and the steps that
 * undo it. Parameters have defaults; {@link #with} changes one. Play it with {@link #play}, or turn it into a
 * Chaos Toolkit experiment with {@link ScenarioExperiment}.
 */
public final class Scenario {
    private final String name;
    private final String description;
    private final Map<String, String> parameters;
    private final Function<Params, List<Step>> steps;
    private final Function<Params, List<Step>> undo;

    Scenario(String name, String description, Map<String, String> defaults, Function<Params, List<Step>> steps,
            Function<Params, List<Step>> undo) {
        this.name = name;
        this.description = description;
        this.parameters = Map.copyOf(defaults);
        this.steps = steps;
        this.undo = undo;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    /** Every parameter with its value (the default unless {@link #with} changed it), in name order. */
    public Map<String, String> parameters() {
        return new java.util.TreeMap<>(parameters);
    }

    /** This scenario with one parameter changed; an unknown name is refused, naming the known ones. */
    public Scenario with(String parameter, String value) {
        Objects.requireNonNull(value, "value");
        if (!parameters.containsKey(parameter)) {
            throw new IllegalArgumentException("scenario " + name + " has no parameter '" + parameter + "' (parameters: "
                    + String.join(", ", parameters().keySet()) + ")");
        }
        Map<String, String> next = new LinkedHashMap<>(parameters);
        next.put(parameter, value);
        Scenario s = new Scenario(name, description, next, steps, undo);
        s.steps(); // a bad value fails here, not half-way through a run
        return s;
    }

    public List<Step> steps() {
        return steps.apply(new Params(name, parameters));
    }

    public List<Step> undoSteps() {
        return undo.apply(new Params(name, parameters));
    }

    /** Runs the steps against {@code target}, holding after each, then always the undo steps. */
    public void play(ChaosTarget target) {
        try {
            for (Step s : steps()) {
                target.call(s);
                target.hold(s);
            }
        } finally {
            for (Step s : undoSteps()) target.call(s);
        }
    }

    /** The name, for JUnit's display of a parameterised test. */
    @Override
    public String toString() {
        return name;
    }
}
