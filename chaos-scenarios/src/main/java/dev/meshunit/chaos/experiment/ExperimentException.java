package dev.meshunit.chaos.experiment;

import java.util.List;

/** An experiment file that cannot be run: every problem found, each naming the file and the field. */
public final class ExperimentException extends RuntimeException {
    private final List<String> problems;

    public ExperimentException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
