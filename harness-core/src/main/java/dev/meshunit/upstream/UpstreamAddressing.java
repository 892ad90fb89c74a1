package dev.meshunit.upstream;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * Where the proxy opens its connections to a service's endpoints. By default (no addressing given to
 * {@code MeshProxy.Builder.upstreamVia}) it is the endpoint itself; something may stand between the sidecar and
 * one service, as {@code meshunit-chaos}'s {@code SidecarToxics} puts TCP toxics there. Connections are pooled
 * per service and address, so two services that share an endpoint keep apart.
 *
 * <p>Called on an event loop for every connection opened (and for every pooled connection taken), with the
 * same arguments giving the same answer: it must answer at once and never block for long.
 */
@FunctionalInterface
public interface UpstreamAddressing {
    /**
     * @param host the service's fully qualified name ({@code ratings.default.svc.cluster.local})
     * @param endpoint the endpoint's address, unresolved
     * @param labels the endpoint's labels, which subsets select on
     * @return the address to connect to instead; {@code endpoint} to connect directly
     */
    InetSocketAddress connectTo(String host, InetSocketAddress endpoint, Map<String, String> labels);
}
