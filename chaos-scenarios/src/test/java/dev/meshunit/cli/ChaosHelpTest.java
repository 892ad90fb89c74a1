package dev.meshunit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Every flag that run, load and scenarios accept is in {@code meshunit --help} and in the module README. */
class ChaosHelpTest {
    @Test
    void everyFlagIsDocumented() throws IOException {
        Set<String> flags = new TreeSet<>();
        flags.addAll(RunCommand.VALUED);
        flags.addAll(RunCommand.SWITCHES);
        flags.addAll(LoadCommand.VALUED);
        flags.addAll(LoadCommand.SWITCHES);
        flags.addAll(ScenariosCommand.VALUED);
        flags.add("--scenario");
        String readme = Files.readString(Path.of("README.md"));
        for (String flag : flags) {
            assertThat(Main.USAGE).as("--help").contains(flag);
            assertThat(readme).as("README").contains(flag);
        }
        assertThat(Main.USAGE).contains("run: 0 the hypothesis held, 1 it did not", "2 invalid experiment or usage, 3 aborted or interrupted",
                "load: 0 done, 1 error rate over --max-error-rate, 2 bad usage");
        assertThat(readme).contains("| 3 | `run`: the run was aborted");
    }
}
