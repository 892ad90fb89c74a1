package dev.meshunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.meshunit.MeshProxy;
import dev.meshunit.internal.netty.ProxyServer;
import java.lang.reflect.Field;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** A proxy that stopped on a fatal error fails the test that was running and the ones after it, loudly. */
class FatalProxyTest {

    /** What an OutOfMemoryError on an event loop does, without filling this JVM's heap. */
    static void stopWithOutOfMemory(MeshProxy proxy) throws ReflectiveOperationException {
        Field server = MeshProxy.class.getDeclaredField("server");
        server.setAccessible(true);
        ((ProxyServer) server.get(proxy)).fatalErrors().report(new OutOfMemoryError("Java heap space (forced by the test)"));
    }

    @Test
    void theTestThatWasRunningAndTheNextOneFail() {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(ProxyRunsOutOfMemory.class))
                .execute().testEvents();

        tests.assertStatistics(s -> s.started(2).failed(2));
        List<String> messages = tests.failed().list().stream().map(FatalProxyTest::message).toList();
        assertThat(messages).hasSize(2).allSatisfy(m -> assertThat(m)
                .startsWith("the MeshUnit proxy stopped on a fatal error, so calls through it failed: "
                        + "java.lang.OutOfMemoryError: Java heap space (forced by the test)")
                .contains("journalMaxBytes"));
    }

    private static String message(Event e) {
        return e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow().getMessage();
    }

    @MeshTest(config = "mesh/ratings", seed = 0xfa7a1)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class ProxyRunsOutOfMemory {
        @Backend("ratings") static final int PORT = 9;

        @Test
        @Order(1)
        void theProxyStopsWhileThisTestRuns(MeshProxy proxy) throws Exception {
            stopWithOutOfMemory(proxy);
        }

        @Test
        @Order(2)
        void aLaterTestOfTheClassFailsBeforeItRuns() {
            throw new IllegalStateException("not reached: beforeEach fails first");
        }
    }
}
