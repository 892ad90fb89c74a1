package dev.meshunit.chaos.containers;

import dev.meshunit.chaos.ToxicProxyServer;
import dev.meshunit.chaos.ToxiproxyApiServer;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.lifecycle.Startable;

/**
 * What Testcontainers' {@code ToxiproxyContainer} gives a test, without a container: MeshUnit's
 * {@link ToxicProxyServer} and its Toxiproxy-compatible API, in this JVM, on 127.0.0.1. The unmodified
 * toxiproxy-java client drives it ({@link #getHost()}, {@link #getControlPort()}, {@link #client()}), and
 * {@link #getProxy(GenericContainer, int)} is Testcontainers 1.x's helper, {@code setConnectionCut} included.
 * <p>The proxies run on the host, so they reach a container through its mapped port, never a network alias:
 * give {@code createProxy} the listen address {@code "127.0.0.1:0"} (a free port, read back with
 * {@link #listenPort(Proxy)}) and the upstream {@link ContainerEndpoints#upstream(GenericContainer, int)}.
 */
public final class InProcessToxiproxy implements Startable {
    private final long seed;
    private final Map<String, ContainerProxy> proxies = new LinkedHashMap<>();
    private ToxicProxyServer server;
    private ToxiproxyApiServer api;
    private ToxiproxyClient client;

    /** Seed 0: toxicity draws, jitter and slicer sizes repeat from run to run. */
    public InProcessToxiproxy() {
        this(0);
    }

    public InProcessToxiproxy(long seed) {
        this.seed = seed;
    }

    /** Starts the proxy server and its API on a free port of 127.0.0.1. Idempotent. */
    @Override
    public synchronized void start() {
        if (server != null) return;
        ToxicProxyServer started = ToxicProxyServer.builder().seed(seed).build();
        try {
            api = ToxiproxyApiServer.start(0, started);
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        server = started;
        client = new ToxiproxyClient(getHost(), api.port());
    }

    /** Closes the API and every proxy with its connections. */
    @Override
    public synchronized void stop() {
        if (server == null) return;
        try {
            api.close();
        } finally {
            server.close();
            server = null;
            api = null;
            client = null;
            proxies.clear();
        }
    }

    /** Where the API and the proxies listen: 127.0.0.1. */
    public String getHost() {
        return "127.0.0.1";
    }

    /** The API's port, for {@code new ToxiproxyClient(toxiproxy.getHost(), toxiproxy.getControlPort())}. */
    public synchronized int getControlPort() {
        return running().port();
    }

    /** A toxiproxy-java client of this server. */
    public synchronized ToxiproxyClient client() {
        running();
        return client;
    }

    /** The same proxies through MeshUnit's own API, with the connection journal. */
    public synchronized ToxicProxyServer server() {
        running();
        return server;
    }

    /**
     * Testcontainers 1.x's {@code getProxy(container, port)}: a proxy named {@code <network alias>:<port>} in
     * front of the container's port, created on first use and returned again after.
     */
    public ContainerProxy getProxy(GenericContainer<?> container, int port) {
        List<String> aliases = container.getNetworkAliases();
        String name = (aliases.isEmpty() ? container.getContainerName().replaceFirst("^/", "") : aliases.get(0)) + ":" + port;
        return getProxy(name, ContainerEndpoints.upstream(container, port));
    }

    /** A proxy named {@code hostname:port} in front of {@code hostname:port} as seen from this JVM. */
    public ContainerProxy getProxy(String hostname, int port) {
        String upstream = hostname + ":" + port;
        return getProxy(upstream, upstream);
    }

    private synchronized ContainerProxy getProxy(String name, String upstream) {
        running();
        ContainerProxy existing = proxies.get(name);
        if (existing != null) return existing;
        try {
            Proxy proxy = client.createProxy(name, getHost() + ":0", upstream);
            ContainerProxy created = new ContainerProxy(proxy, getHost(), listenPort(proxy));
            proxies.put(name, created);
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("proxy " + name + " could not be created", e);
        }
    }

    /** The port a toxiproxy-java {@link Proxy} listens on (its {@code listen} is the bound address). */
    public static int listenPort(Proxy proxy) {
        String listen = proxy.getListen();
        return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
    }

    private ToxiproxyApiServer running() {
        if (api == null) throw new IllegalStateException("InProcessToxiproxy is not started");
        return api;
    }
}
