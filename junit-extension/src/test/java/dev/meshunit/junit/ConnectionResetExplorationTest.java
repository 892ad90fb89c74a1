package dev.meshunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** {@link ExploredFault#CONNECTION_RESET}: each call in turn gets a TCP reset; a caller that survives it passes. */
class ConnectionResetExplorationTest {
    static final TinyBackend BACKEND = TinyBackend.start("ok");

    @AfterAll
    static void stop() {
        BACKEND.close();
    }

    @Test
    void eachCallIsResetInTurnAndOnlyTheUnguardedOneFails() {
        EngineExecutionResults r = FaultExplorationTest.run(ResetCalls.class);

        assertThat(FaultExplorationTest.names(r.testEvents().succeeded())).containsExactly(
                "[1] no faults (records the calls)", "[2] ratings GET /guarded × connection reset");
        assertThat(FaultExplorationTest.names(r.testEvents().failed()))
                .containsExactly("[3] ratings GET /unguarded × connection reset");
        assertThat(r.testEvents().failed().stream().map(e -> e.getRequiredPayload(
                org.junit.platform.engine.TestExecutionResult.class).getThrowable().orElseThrow()))
                .singleElement().satisfies(t -> assertThat(t).isInstanceOf(IOException.class)
                        .hasRootCauseInstanceOf(SocketException.class).hasRootCauseMessage("Connection reset"));
    }

    @MeshTest(config = "mesh/ratings")
    static class ResetCalls {
        @Backend("ratings") static final int RATINGS = BACKEND.port();

        @ExploreFaults(faults = ExploredFault.CONNECTION_RESET)
        void calls(Mesh mesh) throws Exception {
            try {
                FaultExplorationTest.get(mesh, "http://ratings:9080/guarded");
            } catch (IOException fallback) {
                // the caller's fallback: a reset on this call is survivable
            }
            assertThat(FaultExplorationTest.get(mesh, "http://ratings:9080/unguarded")).isEqualTo(200);
        }
    }
}
