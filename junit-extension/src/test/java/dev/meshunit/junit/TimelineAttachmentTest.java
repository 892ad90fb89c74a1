package dev.meshunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * Which tests get a timeline: failed ones always, passing ones when they ask with {@link AttachTimeline}. Without an
 * output directory (JUnit before 5.12, or this test kit) the file goes to a temporary folder named in a report entry.
 */
class TimelineAttachmentTest {
    static final String ENTRY = "meshunit.file." + MeshTimeline.FILE;

    @Test
    void failedAndRequestedTestsGetATimelineThatRenders() throws Exception {
        Events all = EngineTestKit.engine("junit-jupiter").selectors(selectClass(Timelines.class)).execute().allEvents();

        List<String> failed = MeshExtensionEngineTest.reportEntries(all, ENTRY);
        assertThat(failed).hasSize(2);
        assertThat(all.reportingEntryPublished().stream()
                .filter(e -> e.getRequiredPayload(org.junit.platform.engine.reporting.ReportEntry.class).getKeyValuePairs().containsKey(ENTRY))
                .map(e -> e.getTestDescriptor().getDisplayName()))
                .containsExactlyInAnyOrder("fails(Mesh)", "passesAndAsks(Mesh)");

        for (String uri : failed) {
            HeadlessChromium.Page page = HeadlessChromium.open(Path.of(URI.create(uri)));
            assertThat(page.dom()).contains("data-status=\"ok\"", "data-exchange=\"1\"").doesNotContain("<p class=\"error-box\"");
            assertThat(page.console()).doesNotContainIgnoringCase("uncaught");
        }
    }

    @MeshTest(config = "mesh/ratings")
    static class Timelines {
        @Backend("ratings") static final int PORT = 9;

        static void call(Mesh mesh) throws Exception {
            mesh.httpClient().send(HttpRequest.newBuilder(URI.create("http://ratings:9080/ratings/7")).build(), BodyHandlers.discarding());
        }

        @Test
        @InjectAbort(host = "ratings", status = 503)
        void fails(Mesh mesh) throws Exception {
            call(mesh);
            throw new AssertionError("failed on purpose");
        }

        @Test
        @AttachTimeline
        @InjectAbort(host = "ratings", status = 503)
        void passesAndAsks(Mesh mesh) throws Exception {
            call(mesh);
        }

        @Test
        @InjectAbort(host = "ratings", status = 503)
        void passes(Mesh mesh) throws Exception {
            call(mesh);
        }
    }
}
