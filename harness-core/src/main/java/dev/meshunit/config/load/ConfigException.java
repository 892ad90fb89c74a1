package dev.meshunit.config.load;

import java.util.List;
import java.util.stream.Collectors;

/** Config that MeshUnit refuses to run with; the message lists every error, one per line, in file order. */
public class ConfigException extends RuntimeException {
    private final transient List<Problem> problems;

    public ConfigException(List<Problem> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String message(List<Problem> problems) {
        List<Problem> errors = problems.stream().filter(Problem::isError).sorted(Problem.ORDER).toList();
        return errors.size() + (errors.size() == 1 ? " config error:\n" : " config errors:\n")
                + errors.stream().map(Problem::toString).collect(Collectors.joining("\n"));
    }
}
