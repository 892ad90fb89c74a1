package dev.meshunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.meshunit.junit.internal.FailureReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.OutputDirectoryCreator;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.reporting.FileEntry;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** JUnit 5.12 and later take the journal and the timeline of a failed test as files (not compiled with -Pjunit510). */
class FailureReportFileTest {
    @Test
    void failedTestPublishesTheExchangesAndTheJournalAsAFile(@TempDir Path reports) throws Exception {
        Events all = EngineTestKit.engine("junit-jupiter").selectors(selectClass(MeshExtensionEngineTest.FailingWithReport.class))
                .outputDirectoryCreator(new OutputDirectoryCreator() {
                    @Override
                    public Path getRootDirectory() {
                        return reports;
                    }

                    @Override
                    public Path createOutputDirectory(TestDescriptor test) throws IOException {
                        return Files.createDirectories(reports.resolve(Integer.toHexString(test.getUniqueId().hashCode())));
                    }
                }).execute().allEvents();

        assertThat(MeshExtensionEngineTest.reportEntries(all, FailureReport.TABLE_KEY)).singleElement().asString()
                .contains("id  method  authority+path").containsPattern("ratings:9080/ratings/7\\s.*503\\s+FI");
        List<Path> files = all.fileEntryPublished().stream().map(e -> e.getRequiredPayload(FileEntry.class).getPath()).toList();
        assertThat(files).extracting(f -> f.getFileName().toString())
                .containsExactlyInAnyOrder(FailureReport.JSON_FILE, MeshTimeline.FILE);
        Path json = files.stream().filter(f -> f.endsWith(FailureReport.JSON_FILE)).findFirst().orElseThrow();
        assertThat(Files.readString(json)).startsWith("[{\"id\":").contains("\"authority\":\"ratings:9080\"");
        Path timeline = files.stream().filter(f -> f.endsWith(MeshTimeline.FILE)).findFirst().orElseThrow();
        assertThat(Files.readString(timeline)).contains("<title>MeshUnit timeline: FailingWithReport - ratingsAnswers(Mesh)</title>");
        assertThat(MeshExtensionEngineTest.reportEntries(all, FailureReport.JSON_KEY)).isEmpty();
    }
}
