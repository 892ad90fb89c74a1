package dev.meshunit.config.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.config.load.internal.YamlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile YAML (issue 12, finding 7) costs neither seconds nor the stack: long documents and scalars, deep
 * nesting and alias bombs are refused, or read without expansion, with the file and line named. Wall-clock
 * bounds here are generous upper bounds (a 4 MiB quoted scalar used to take 8.9 s).
 */
class YamlLimitsTest {
    private static final String HEAD = "apiVersion: networking.istio.io/v1\nkind: VirtualService\n";

    private static String firstError(LoadResult r) {
        assertThat(r.hasErrors()).as("errors in %s", r.problems()).isTrue();
        return r.errors().get(0).toString();
    }

    @Test
    void aFourMebibyteQuotedScalarIsRefusedAtOnce() {
        String yaml = HEAD + "metadata: {name: \"" + "a".repeat(4 * 1024 * 1024) + "\"}\n";
        // Refused by its size before any parsing (the message says which cap): no wall-clock bound needed, which
        // flake-check's CPU hog pushed past 2 s.
        String error = firstError(ConfigLoader.create().loadString("big.yaml", yaml));
        assertThat(error).startsWith("big.yaml:1:1:").contains("a document of 4194381 characters; at most 2097152");
    }

    @Test
    void aScalarPastItsCapIsRefusedWhereItStands() {
        String yaml = HEAD + "metadata:\n  name: " + "a".repeat(YamlReader.MAX_SCALAR_CHARS + 1) + "\n";
        assertThat(firstError(ConfigLoader.create().loadString("long.yaml", yaml)))
                .startsWith("long.yaml:4:9:").contains("a scalar of " + (YamlReader.MAX_SCALAR_CHARS + 1)
                        + " characters; at most " + YamlReader.MAX_SCALAR_CHARS + " are allowed");
    }

    @Test
    void deepNestingIsRefusedWithoutExhaustingTheStack() {
        String yaml = HEAD + "spec: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n";
        assertThat(firstError(ConfigLoader.create().loadString("deep.yaml", yaml)))
                .startsWith("deep.yaml:").contains("nesting depth (65) exceeds the maximum allowed (64");
    }

    @Test
    void anAliasBombIsNotExpanded() {
        StringBuilder b = new StringBuilder(HEAD + "metadata: {name: laughs}\nspec:\n  a: &a [x, x, x, x, x, x, x, x, x]\n");
        char prev = 'a';
        for (int i = 0; i < 9; i++) {
            char next = (char) (prev + 1);
            b.append("  ").append(next).append(": &").append(next).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(9, "*" + prev))).append("]\n");
            prev = next;
        }
        long start = System.nanoTime();
        LoadResult r = ConfigLoader.create().loadString("laughs.yaml", b.toString());
        // Jackson's streaming parser reads an alias as written and never expands it: the file fails on its first
        // unknown field. The bound only detects a hang (an expanded bomb would take minutes).
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms").isLessThan(20_000);
        assertThat(firstError(r)).startsWith("laughs.yaml:5:3:").contains("unknown field \"a\"");
    }

    @Test
    void filesGetTheSameCaps(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("huge.yaml"), HEAD + "metadata: {name: '" + "b".repeat(2_200_000) + "'}\n");
        assertThat(firstError(ConfigLoader.create().load(file))).contains("huge.yaml:1:1:").contains("at most 2097152");
    }
}
