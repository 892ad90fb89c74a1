package dev.meshunit.junit.toxic;

import dev.meshunit.chaos.Direction;
import dev.meshunit.chaos.ProxyInfo;
import dev.meshunit.chaos.TcpConnectionRecord;
import dev.meshunit.chaos.TcpJournal;
import dev.meshunit.chaos.Toxic;
import dev.meshunit.chaos.ToxicProxyServer;
import dev.meshunit.chaos.ToxicSpec;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/** What a {@link ToxicTest} sees of its toxic proxies: where to connect, toxics to add, what happened. */
public final class Toxics {
    private final ToxicProxyServer server;

    public Toxics(ToxicProxyServer server) {
        this.server = Objects.requireNonNull(server, "server");
    }

    /** The port clients connect to for proxy {@code name}; unknown names fail listing the proxies. */
    public int port(String name) {
        return info(name).port();
    }

    public InetSocketAddress address(String name) {
        return new InetSocketAddress("127.0.0.1", port(name));
    }

    /** Adds a toxic (named {@code <type>_<stream>}) to a proxy, for this test: removed when it ends. */
    public ToxicSpec add(String proxy, Direction stream, Toxic toxic) {
        return server.addToxic(proxy, ToxicSpec.of(stream, toxic));
    }

    /** As {@link #add}, on a share of the connections ({@code toxicity} 0 to 1, drawn from the seeded source). */
    public ToxicSpec add(String proxy, Direction stream, Toxic toxic, float toxicity) {
        return server.addToxic(proxy, new ToxicSpec(null, stream, toxicity, toxic));
    }

    public void remove(String proxy, String toxicName) {
        server.removeToxic(proxy, toxicName);
    }

    /** Closes the proxy's listener and every connection through it: the service is gone. */
    public ProxyInfo disable(String proxy) {
        return server.disable(proxy);
    }

    public ProxyInfo enable(String proxy) {
        return server.enable(proxy);
    }

    /** The connections through one proxy in this test, oldest first. */
    public List<TcpConnectionRecord> connections(String proxy) {
        info(proxy);
        return server.journal().connections(proxy);
    }

    public TcpJournal journal() {
        return server.journal();
    }

    /** The whole API: proxies created at run time, updates, toxicity, the Toxiproxy vocabulary. */
    public ToxicProxyServer server() {
        return server;
    }

    private ProxyInfo info(String name) {
        return server.proxy(name).orElseThrow(() -> new IllegalArgumentException("no toxic proxy " + name + "; proxies: "
                + server.proxies().stream().map(ProxyInfo::name).toList()));
    }
}
