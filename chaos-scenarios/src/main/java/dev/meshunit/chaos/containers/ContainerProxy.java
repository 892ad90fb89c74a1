package dev.meshunit.chaos.containers;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.ToxicList;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One proxy of an {@link InProcessToxiproxy}, shaped like Testcontainers 1.x's
 * {@code ToxiproxyContainer.ContainerProxy}: connect to {@link #getHost()}:{@link #getProxyPort()}, add toxics
 * with {@link #toxics()}, cut the connection with {@link #setConnectionCut(boolean)}.
 */
public final class ContainerProxy {
    private static final String CUT_CONNECTION_DOWNSTREAM = "CUT_CONNECTION_DOWNSTREAM";
    private static final String CUT_CONNECTION_UPSTREAM = "CUT_CONNECTION_UPSTREAM";

    private final Proxy toxi;
    private final String host;
    private final int port;
    private boolean cut;

    ContainerProxy(Proxy toxi, String host, int port) {
        this.toxi = toxi;
        this.host = host;
        this.port = port;
    }

    public String getName() {
        return toxi.getName();
    }

    /** The toxiproxy-java proxy, for enable/disable/delete. */
    public Proxy proxy() {
        return toxi;
    }

    public ToxicList toxics() {
        return toxi.toxics();
    }

    public String getHost() {
        return host;
    }

    /** Testcontainers 1.x's name for {@link #getHost()}. */
    public String getContainerIpAddress() {
        return host;
    }

    /** The port clients connect to. */
    public int getProxyPort() {
        return port;
    }

    /** Same as {@link #getProxyPort()}: with no container in between, nothing maps the port. */
    public int getOriginalProxyPort() {
        return port;
    }

    /**
     * As Testcontainers does it: true adds a {@code bandwidth} toxic of rate 0 in each direction, so the
     * connections stay open but pass nothing; false removes them and the held bytes flow again.
     */
    public synchronized void setConnectionCut(boolean shouldCutConnection) {
        try {
            if (shouldCutConnection && !cut) {
                toxics().bandwidth(CUT_CONNECTION_DOWNSTREAM, ToxicDirection.DOWNSTREAM, 0);
                toxics().bandwidth(CUT_CONNECTION_UPSTREAM, ToxicDirection.UPSTREAM, 0);
                cut = true;
            } else if (!shouldCutConnection && cut) {
                toxics().get(CUT_CONNECTION_DOWNSTREAM).remove();
                toxics().get(CUT_CONNECTION_UPSTREAM).remove();
                cut = false;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not control proxy " + getName(), e);
        }
    }
}
