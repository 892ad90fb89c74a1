package dev.meshunit.examples.storefront;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README shows the experiment that StorefrontExperimentTest runs, as it is: the two cannot drift apart. */
class StorefrontReadmeTest {
    @Test
    void theReadmeShowsTheExperimentFileAsItIs() throws IOException {
        assertThat(Files.readString(Path.of("README.md"))).contains("```yaml\n" + Files.readString(Path.of("experiment.yaml")) + "```");
    }
}
