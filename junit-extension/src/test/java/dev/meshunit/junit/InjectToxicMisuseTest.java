package dev.meshunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** A toxic naming what the config does not declare, or attributes its type does not take, fails the test naming it. */
class InjectToxicMisuseTest {

    @MeshTest(config = "mesh/two-services")
    static class Misused {
        @Backend("ratings") static final StubBackend RATINGS = StubBackend.start("ratings");
        @Backend("reviews-v1") static final StubBackend V1 = StubBackend.start("v1");
        @Backend("reviews-v2") static final StubBackend V2 = StubBackend.start("v2");

        @Test
        @InjectToxic(host = "ratngs", type = InjectToxic.Type.LATENCY, latency = 100)
        void hostTypo() {}

        @Test
        @InjectToxic(host = "reviews", subset = "v3", type = InjectToxic.Type.LATENCY, latency = 100)
        void subsetTypo() {}

        @Test
        @InjectToxic(host = "ratings", type = InjectToxic.Type.BANDWIDTH, latency = 100)
        void foreignAttribute() {}

        @Test
        @InjectToxic(host = "ratings", type = InjectToxic.Type.LIMIT_DATA)
        void missingAttribute() {}

        @Test
        @InjectToxic(host = "ratings", type = InjectToxic.Type.LATENCY, latency = 100, toxicity = 1.5f)
        void badToxicity() {}
    }

    @MeshTest(config = "mesh/two-services")
    static class WithoutToxics {
        @Backend("ratings") static final StubBackend RATINGS = StubBackend.start("ratings");
        @Backend("reviews-v1") static final StubBackend V1 = StubBackend.start("v1");
        @Backend("reviews-v2") static final StubBackend V2 = StubBackend.start("v2");

        @Test
        void asksForToxics(Mesh mesh) {
            assertThat(mesh.hasToxics()).isFalse();
            mesh.toxics();
        }
    }

    @Test
    void eachMisuseFailsItsTestNamingTheAnnotationAndWhatIsAllowed() {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(Misused.class)).execute().allEvents();
        assertThat(failure(events, "hostTypo")).isInstanceOf(ExtensionConfigurationException.class).hasMessage(
                "@InjectToxic(host = \"ratngs\") on Misused.hostTypo(): toxic: no host \"ratngs\" in the config;"
                        + " did you mean ratings? (declared: ratings, reviews)");
        assertThat(failure(events, "subsetTypo")).hasMessage("@InjectToxic(host = \"reviews\") on Misused.subsetTypo():"
                + " toxic: host \"reviews\" has no subset \"v3\" (declared: v1, v2)");
        assertThat(failure(events, "foreignAttribute")).hasMessage("@InjectToxic(host = \"ratings\") on"
                + " Misused.foreignAttribute(): latency is not an attribute of bandwidth (it takes rate)");
        assertThat(failure(events, "missingAttribute")).hasMessage("@InjectToxic(host = \"ratings\") on"
                + " Misused.missingAttribute(): limit_data needs bytes");
        assertThat(failure(events, "badToxicity")).hasMessage("@InjectToxic(host = \"ratings\") on"
                + " Misused.badToxicity(): toxicity: must be between 0 and 1 (was 1.5)");
    }

    @Test
    void theRuntimeApiSaysHowToTurnToxicsOn() {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(WithoutToxics.class)).execute().allEvents();
        assertThat(failure(events, "asksForToxics")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("@MeshTest(toxics = true)");
    }

    private static Throwable failure(Events events, String method) {
        return events.failed().stream().filter(e -> e.getTestDescriptor().getDisplayName().startsWith(method))
                .findFirst().orElseThrow(() -> new AssertionError(method + " did not fail"))
                .getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
    }
}
