package dev.meshunit.cli;

import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.config.load.LoadResult;
import dev.meshunit.config.load.Problem;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The {@code --config} files and folders of a command, loaded and validated, problems printed. */
record ConfigFiles(LoadResult result, int files) {

    /** Loads every path; a missing path, or a folder without YAML, is a usage error. */
    static ConfigFiles load(List<String> paths) throws UsageException {
        List<Path> all = new ArrayList<>();
        int files = 0;
        for (String p : paths) {
            Path path = Path.of(p);
            if (!Files.exists(path)) throw new UsageException("--config " + p + ": no such file or folder");
            int found = list(path, p).size();
            if (found == 0) throw new UsageException("--config " + p + ": no .yaml or .yml files in this folder");
            files += found;
            all.add(path);
        }
        try {
            return new ConfigFiles(ConfigLoader.create().load(all.toArray(Path[]::new)), files);
        } catch (UncheckedIOException e) {
            throw new UsageException("--config: cannot read " + e.getMessage());
        }
    }

    private static List<Path> list(Path path, String given) throws UsageException {
        try {
            return ConfigLoader.yamlFiles(path);
        } catch (UncheckedIOException e) {
            throw new UsageException("--config " + given + ": cannot read " + e.getCause().getMessage());
        }
    }

    /** Each problem on its own line, in file order: errors and warnings alike. */
    void printProblems(PrintStream err) {
        for (Problem p : result.problems()) err.println(p);
        err.flush();
    }

    int resources() {
        IstioConfig c = result.config();
        return c.virtualServices().size() + c.destinationRules().size() + c.serviceEntries().size()
                + c.workloadEntries().size();
    }

    /** {@code 3 files, 12 resources: valid (2 warnings)} or {@code ...: invalid (1 error, 0 warnings)}. */
    String summary() {
        String counts = plural(files, "file") + ", " + plural(resources(), "resource") + ": ";
        int warnings = result.warnings().size();
        if (!result.hasErrors()) return counts + "valid (" + plural(warnings, "warning") + ")";
        return counts + "invalid (" + plural(result.errors().size(), "error") + ", " + plural(warnings, "warning") + ")";
    }

    static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
