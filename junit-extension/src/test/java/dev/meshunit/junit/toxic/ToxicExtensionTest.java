package dev.meshunit.junit.toxic;

import static dev.meshunit.assertj.ToxicAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.meshunit.chaos.Direction;
import dev.meshunit.chaos.EndReason;
import dev.meshunit.chaos.TcpJournal;
import dev.meshunit.chaos.Toxic;
import dev.meshunit.chaos.ToxicProxyServer;
import dev.meshunit.junit.StubBackend;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.EngineTestKit;

/** @ToxicTest over real sockets: a StubBackend behind a toxic proxy, HTTP/1.1 on a raw socket. */
@ToxicTest(seed = 5)
class ToxicExtensionTest {
    @ToxicProxy("ratings") static final StubBackend RATINGS = StubBackend.start("v1");

    @AfterAll
    static void stop() {
        RATINGS.close();
    }

    static final String REQUEST = "GET / HTTP/1.1\r\nHost: ratings\r\nConnection: close\r\n\r\n";

    /** One request on its own connection (Connection: close), so each test's journal holds one closed connection. */
    static String get(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(REQUEST.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void aLatencyToxicDelaysTheAnswerAndIsJournalled(Toxics toxics) throws Exception {
        toxics.add("ratings", Direction.DOWNSTREAM, new Toxic.Latency(150, 0));
        long start = System.nanoTime();
        assertThat(get(toxics.port("ratings"))).startsWith("HTTP/1.1 200").endsWith("v1");
        // lower bound only: a busy machine may add to it
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(toxics.connections("ratings")).allClosed());
        assertThat(toxics.journal()).proxy("ratings").allAppliedToxic("latency_downstream").noneEndedWith(EndReason.RESET_BY_TOXIC)
                .singleConnection().appliedToxic("latency_downstream").hasBytesUp(REQUEST.length());
    }

    @Test
    void resetPeerResetsTheClient(Toxics toxics, TcpJournal journal) {
        toxics.add("ratings", Direction.UPSTREAM, new Toxic.ResetPeer(0));
        assertThatThrownBy(() -> get(toxics.port("ratings"))).isInstanceOf(SocketException.class);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(journal).proxy("ratings").hasConnectionCount(1)
                .allEndedWith(EndReason.RESET_BY_TOXIC));
    }

    @Test
    void failuresShowTheConnectionsAsATable(ToxicProxyServer server) throws Exception {
        get(server.proxy("ratings").orElseThrow().port());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(server.journal().connections("ratings")).hasConnectionCount(1)
                .allClosed());
        assertThatThrownBy(() -> assertThat(server.journal()).proxy("ratings").allEndedWith(EndReason.RESET_BY_TOXIC))
                .hasMessageContaining("expected every connection to have ended with RESET_BY_TOXIC but 1 of 1 did not:")
                .hasMessageMatching("(?s).*id\\s+proxy\\s+client\\s+upstream\\s+up\\s+down\\s+toxics\\s+end\\s+ms\\n.*ratings.*");
        assertThatThrownBy(() -> toxics(server).port("ratngs")).hasMessage("no toxic proxy ratngs; proxies: [ratings]");
    }

    private static Toxics toxics(ToxicProxyServer server) {
        return new Toxics(server);
    }

    @ToxicTest
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class ResetBetweenTests {
        @ToxicProxy("echo") static final String UPSTREAM = "127.0.0.1:9";

        @Test
        @Order(1)
        void addsAToxicAndMakesAConnection(Toxics toxics) throws Exception {
            toxics.add("echo", Direction.DOWNSTREAM, new Toxic.Latency(10, 0));
            toxics.disable("echo");
            assertThat(toxics.server().toxics("echo")).hasSize(1);
        }

        @Test
        @Order(2)
        void startsClean(Toxics toxics) throws Exception {
            assertThat(toxics.server().toxics("echo")).isEmpty();
            assertThat(toxics.server().proxy("echo").orElseThrow().enabled()).isTrue();
            new Socket("127.0.0.1", toxics.port("echo")).close();   // upstream :9 refuses: CONNECT_FAILED
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(toxics.journal()).hasConnectionCount(1));
        }

        @Test
        @Order(3)
        void seesOnlyItsOwnConnections(TcpJournal journal, ToxicProxyServer server) {
            assertThat(journal.connections()).hasConnectionCount(0);
            THREADS.set(server.threadNamePrefix());
        }

        static final java.util.concurrent.atomic.AtomicReference<String> THREADS = new java.util.concurrent.atomic.AtomicReference<>();
    }

    @Test
    void toxicsAreRemovedAndTheJournalClearedBetweenTestsAndTheServerClosedAfterTheClass() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(ResetBetweenTests.class)).execute().testEvents()
                .assertStatistics(s -> s.succeeded(3));
        await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().startsWith(ResetBetweenTests.THREADS.get())));
    }
}
