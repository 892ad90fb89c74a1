package dev.meshunit.internal.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshunit.internal.mirror.MirrorOptions;
import dev.meshunit.internal.routing.RouteOptions;
import dev.meshunit.internal.routing.RouteTable;
import dev.meshunit.internal.time.WallScheduler;
import dev.meshunit.journal.JournalWriter;
import dev.meshunit.testing.OneService;
import dev.meshunit.testing.RawHttp;
import dev.meshunit.testing.TestBackend;
import io.netty.channel.epoll.Epoll;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The native epoll transport where it loads, NIO elsewhere or on request; both proxy alike. */
class TransportTest {
    @Test
    void epollWhereAvailableNioOnRequestOrElsewhere() {
        assertThat(Transport.choose("", NO_WARNING, () -> true)).isEqualTo(Transport.EPOLL);
        assertThat(Transport.choose("EPOLL", NO_WARNING, () -> true)).isEqualTo(Transport.EPOLL);
        assertThat(Transport.choose("", NO_WARNING, () -> false)).isEqualTo(Transport.NIO);
        assertThat(Transport.choose("epoll", NO_WARNING, () -> false)).isEqualTo(Transport.NIO);
        assertThat(Transport.choose("nio", NO_WARNING, NEVER_PROBED)).isEqualTo(Transport.NIO);
        assertThatThrownBy(() -> Transport.choose("kqueue", NO_WARNING, () -> true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-Dmeshunit.transport=kqueue").hasMessageContaining("epoll").hasMessageContaining("nio");
    }

    @Test
    void whereLoadingTheLibraryWouldWarnTheDefaultIsNioAndEpollMustBeAskedFor() {
        assertThat(Transport.choose("", () -> true, NEVER_PROBED)).isEqualTo(Transport.NIO);
        assertThat(Transport.choose("auto", () -> true, NEVER_PROBED)).isEqualTo(Transport.NIO);
        assertThat(Transport.choose("epoll", () -> true, () -> true)).isEqualTo(Transport.EPOLL);
    }

    @Test
    void onlyJdk24AndLaterWarnAboutNativeAccess() {
        Module unnamed = TransportTest.class.getModule();
        assertThat(Transport.nativeAccessWouldWarn(17, unnamed)).isFalse();
        assertThat(Transport.nativeAccessWouldWarn(23, unnamed)).isFalse();
        // A JVM before 22 has no Module.isNativeAccessEnabled: as before JEP 472, no warning assumed. (On 24 and
        // later the answer is the module's: JDK 24 enables native access for a module once it has warned.)
        if (Runtime.version().feature() < 22) assertThat(Transport.nativeAccessWouldWarn(24, unnamed)).isFalse();
    }

    private static final BooleanSupplier NO_WARNING = () -> false;
    private static final BooleanSupplier NEVER_PROBED = () -> {
        throw new AssertionError("NIO must not probe (and load) the native library");
    };

    @Test
    void theDefaultIsEpollOnLinuxX8664() {
        boolean linuxX64 = System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64");
        // On this project's machines the native library is on the class path and must load.
        if (linuxX64) assertThat(Epoll.isAvailable()).as(String.valueOf(Epoll.unavailabilityCause())).isTrue();
        // JDK 24 and later without --enable-native-access would warn on loading it: NIO there.
        boolean warns = Transport.nativeAccessWouldWarn();
        assertThat(Transport.choose("", Transport::nativeAccessWouldWarn, Epoll::isAvailable))
                .isEqualTo(linuxX64 && !warns ? Transport.EPOLL : Transport.NIO);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void bothTransportsProxyARequestAndKeepTheUpstreamConnection(Transport transport) throws Exception {
        if (transport == Transport.EPOLL && !Epoll.isAvailable()) return; // nothing to try off Linux
        try (TestBackend backend = TestBackend.named("b")) {
            RouteTable table = RouteTable.compile(OneService.config(backend.port()), RouteOptions.DEFAULTS);
            JournalWriter journal = new JournalWriter(100, 1);
            ProxyRuntime runtime = new ProxyRuntime(table, journal, 1, new WallScheduler(Clock.systemUTC()), 1 << 20,
                    MirrorOptions.DEFAULT, null);
            try (ProxyServer server = new ProxyServer(runtime, 1, "transport-test", transport)) {
                assertThat(server.transport()).isEqualTo(transport.name().toLowerCase());
                InetSocketAddress at = server.listen(new InetSocketAddress("127.0.0.1", 0), null);
                try (RawHttp client = new RawHttp(at.getPort())) { // one keep-alive connection for all three
                    for (int i = 0; i < 3; i++) {
                        RawHttp.Response r = client.send("GET", OneService.AUTHORITY, "/x", null, "x-n: " + i);
                        assertThat(r.status()).isEqualTo(200);
                        assertThat(r.body()).isEqualTo("b");
                    }
                }
                assertThat(journal.journal().exchanges()).hasSize(3).allMatch(e -> e.status() == 200);
                assertThat(backend.received()).hasSize(3);
            }
        }
    }
}
