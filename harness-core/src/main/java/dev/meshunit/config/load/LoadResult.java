package dev.meshunit.config.load;

import dev.meshunit.config.IstioConfig;
import java.util.List;

/** The loaded resources and everything found wrong with them, sorted by file and line. */
public record LoadResult(IstioConfig config, List<Problem> problems) {

    public LoadResult {
        problems = problems.stream().sorted(Problem.ORDER).toList();
    }

    public List<Problem> errors() {
        return problems.stream().filter(Problem::isError).toList();
    }

    public List<Problem> warnings() {
        return problems.stream().filter(p -> !p.isError()).toList();
    }

    public boolean hasErrors() {
        return problems.stream().anyMatch(Problem::isError);
    }

    /** The config, or a {@link ConfigException} listing every error. */
    public IstioConfig orThrow() {
        if (hasErrors()) throw new ConfigException(problems);
        return config;
    }
}
