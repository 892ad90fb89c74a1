package dev.meshunit.junit;

import dev.meshunit.MeshProxy;
import dev.meshunit.VirtualTime;
import dev.meshunit.config.DeclaredHosts;
import dev.meshunit.fault.FaultOverrides;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.Journal;
import dev.meshunit.junit.internal.JournalWaiter;
import java.time.Duration;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Objects;

/** What a {@link MeshTest} sees of its proxy: where to send requests, and what happened to them. */
public final class Mesh implements AutoCloseable {
    private final MeshProxy proxy;
    /** A {@code SidecarToxics} or null; typed loosely so that Mesh loads without meshunit-chaos. */
    private final AutoCloseable toxics;
    private volatile HttpClient client;

    public Mesh(MeshProxy proxy) {
        this.proxy = Objects.requireNonNull(proxy, "proxy");
        this.toxics = null;
    }

    /** A mesh over a proxy started with {@code upstreamVia(toxics)}: {@link #toxics()} gives them, {@link #close()} closes both. */
    public Mesh(MeshProxy proxy, dev.meshunit.chaos.SidecarToxics toxics) {
        this.proxy = Objects.requireNonNull(proxy, "proxy");
        this.toxics = toxics;
    }

    /** The base URI of a service's own listener ({@code reviews} or {@code reviews:9080}): no Host header needed. */
    public URI uri(String service) {
        InetSocketAddress a = proxy.serviceAddress(service);
        return URI.create("http://" + a.getHostString() + ":" + a.getPort());
    }

    /** Sends every request through the proxy as a forward proxy, so {@code http://reviews:9080/...} works unchanged. */
    public ProxySelector proxySelector() {
        return ProxySelector.of(proxy.address());
    }

    /** A client that uses {@link #proxySelector()}; one per mesh. */
    public HttpClient httpClient() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) client = HttpClient.newBuilder().proxy(proxySelector()).build();
                c = client;
            }
        }
        return c;
    }

    public Journal journal() {
        return proxy.journal();
    }

    /**
     * The exchanges addressed to a service, by short name or FQDN, oldest first. A name the config does not
     * declare is a typo, not an empty list: {@link IllegalArgumentException} naming the nearest declared hosts.
     */
    public List<Exchange> exchanges(String service) {
        DeclaredHosts.of(proxy.config()).require(service, "mesh.exchanges(\"" + service + "\")");
        return proxy.journal().forHost(service);
    }

    /**
     * This test's faults, e.g. {@code mesh.faults().abort("ratings", 503).requests(3, 7)}: consulted before the
     * routes' own faults, removed when the test ends. A host the config does not declare is refused at once.
     */
    public FaultOverrides faults() {
        return proxy.faults();
    }

    /**
     * Waits until the proxy has recorded {@code count} exchanges for a service, e.g. {@code atLeast(3)}, for at
     * most 10 s, and returns them. Woken by the journal as exchanges are recorded; needs Awaitility on the
     * test class path. A timeout fails with the exchanges seen so far.
     */
    public List<Exchange> awaitRequests(String service, RequestCount count) {
        return awaitRequests(service, count, Duration.ofSeconds(10));
    }

    public List<Exchange> awaitRequests(String service, RequestCount count, Duration timeout) {
        DeclaredHosts.of(proxy.config()).require(service, "mesh.awaitRequests(\"" + service + "\", ...)");
        return JournalWaiter.await(proxy.journal(), () -> exchanges(service), now -> count.isMetBy(now.size()),
                count + " requests to " + service, timeout);
    }

    /**
     * The virtual time the proxy runs on, to move by hand: {@code mesh.time().advance(Duration.ofSeconds(5))}.
     *
     * @throws IllegalStateException when the proxy runs on the wall clock (no {@code @MeshTest(virtualTime = true)})
     */
    public VirtualTime time() {
        return proxy.virtualTime().orElseThrow(() -> new IllegalStateException(
                "this mesh runs on the wall clock: use @MeshTest(virtualTime = true) or MeshExtension.builder().virtualTime(..)"));
    }

    public MeshProxy proxy() {
        return proxy;
    }

    /**
     * TCP toxics between the sidecar and one service's endpoints, at run time:
     * {@code mesh.toxics().add("ratings", ToxicSpec.of(Direction.DOWNSTREAM, new Toxic.Latency(300, 0)))}; removed
     * after each test. Needs {@code meshunit-chaos}, and {@code @MeshTest(toxics = true)} or an {@link InjectToxic}.
     *
     * @throws IllegalStateException when the mesh was started without toxics
     */
    public dev.meshunit.chaos.SidecarToxics toxics() {
        if (toxics == null) {
            throw new IllegalStateException("no toxics under this sidecar: start it with @MeshTest(toxics = true),"
                    + " MeshExtension.builder().toxics(true) or an @InjectToxic (meshunit-chaos on the classpath)");
        }
        return (dev.meshunit.chaos.SidecarToxics) toxics;
    }

    /** Whether toxics are under this sidecar ({@link #toxics()} works). */
    public boolean hasToxics() {
        return toxics != null;
    }

    @Override
    public void close() {
        try {
            proxy.close();
        } finally {
            if (toxics != null) closeToxics();
        }
    }

    private void closeToxics() {
        try {
            toxics.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the toxics under the sidecar: " + e.getMessage(), e);
        }
    }
}
