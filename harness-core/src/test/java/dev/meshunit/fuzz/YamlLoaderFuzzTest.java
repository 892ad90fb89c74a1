package dev.meshunit.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.config.load.LoadResult;
import dev.meshunit.config.load.Problem;

/**
 * Fuzz target for the YAML loader: whatever the bytes, loading returns problems that name the file, never
 * throws, and stays within the reader's caps. Seeds: {@code YamlLoaderFuzzTestInputs/load}.
 */
class YamlLoaderFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void load(byte[] input) {
        String yaml = new String(input, java.nio.charset.StandardCharsets.UTF_8);
        LoadResult result = ConfigLoader.create().loadString("fuzz.yaml", yaml);
        for (Problem p : result.problems()) {
            assertThat(p.toString()).as("every problem names the file").contains("fuzz.yaml");
        }
        if (!result.hasErrors()) assertThat(result.config()).isNotNull();
    }
}
