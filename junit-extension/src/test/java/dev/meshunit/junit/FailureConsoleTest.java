package dev.meshunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * A failed test prints its exchanges on the console (Surefire shows neither report entries nor files) and says
 * where the journal JSON went. Isolated: it swaps {@code System.err} while a nested engine runs.
 */
@Isolated("replaces System.err while a nested engine runs")
class FailureConsoleTest {
    @Test
    void theTableAndTheJournalFileAreOnTheConsole() throws Exception {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            EngineTestKit.engine("junit-jupiter").selectors(selectClass(MeshExtensionEngineTest.FailingWithReport.class))
                    .execute().testEvents().assertStatistics(s -> s.failed(1));
        } finally {
            System.setErr(saved);
        }
        String console = err.toString(StandardCharsets.UTF_8);

        assertThat(console).contains("MeshUnit: ratingsAnswers(Mesh) in FailingWithReport failed; the proxy saw 1 exchange:\n")
                .contains("id  method  authority+path").containsPattern("ratings:9080/ratings/7\\s.*503\\s+FI");
        // EngineTestKit gives JUnit no output directory, so the journal goes to target/meshunit/
        Matcher file = Pattern.compile("MeshUnit: journal JSON written to (\\S+\\.journal\\.json)\n").matcher(console);
        assertThat(file.find()).as(console).isTrue();
        Path json = Path.of(file.group(1));
        assertThat(json).isAbsolute().startsWith(Path.of("target", "meshunit").toAbsolutePath());
        assertThat(Files.readString(json)).startsWith("[{\"id\":").contains("\"abortStatus\":503");
    }
}
