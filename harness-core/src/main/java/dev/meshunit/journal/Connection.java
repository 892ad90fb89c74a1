package dev.meshunit.journal;

import java.time.Instant;
import java.util.Set;

/**
 * One downstream TCP connection that a {@code tcp:} or {@code tls:} route (or a TCP service's default route)
 * proxied, Envoy's tcp_proxy access-log line. {@code listener} is the listener's name ({@code tcp-echo:9000},
 * or {@code gateway:port}); {@code sni} the server name the ClientHello carried (null when the listener does not
 * inspect TLS or the client sent none); {@code route} and {@code destination} are null when no rule matched;
 * {@code endpoint} is null when no upstream connection was made. Bytes are counted as they pass the proxy:
 * {@code bytesFromClient} went upstream, {@code bytesToClient} came back.
 * <p>A WebSocket (an HTTP/1.1 upgrade the upstream accepted with 101) is journalled twice: its upgrade request
 * as an {@link Exchange} with status 101, and the byte tunnel that followed as a Connection whose
 * {@code exchangeId} is that exchange's id (null for {@code tcp:}/{@code tls:} connections), whose
 * {@code listener} is the upgrade request's authority, and whose bytes are the WebSocket frames each way.
 */
public record Connection(
        long id,
        Instant start,
        String source,
        String listener,
        String sni,
        RouteRef route,
        DestinationRef destination,
        String endpoint,
        long bytesFromClient,
        long bytesToClient,
        EndReason endReason,
        Set<ResponseFlag> flags,
        double durationMs,
        Long exchangeId) {

    /** A connection of a {@code tcp:} or {@code tls:} route (no upgrade exchange). */
    public Connection(long id, Instant start, String source, String listener, String sni, RouteRef route,
                      DestinationRef destination, String endpoint, long bytesFromClient, long bytesToClient,
                      EndReason endReason, Set<ResponseFlag> flags, double durationMs) {
        this(id, start, source, listener, sni, route, destination, endpoint, bytesFromClient, bytesToClient, endReason,
                flags, durationMs, null);
    }

    /** Whether this is the tunnel of a WebSocket upgrade (see {@link #exchangeId}). */
    public boolean webSocket() {
        return exchangeId != null;
    }

    /** Why a proxied connection ended: the first of these to happen. */
    public enum EndReason {
        /** The client closed its side first (the proxy passed the close on and waited for the other side). */
        CLIENT_CLOSE,
        /** The endpoint closed its side first. */
        UPSTREAM_CLOSE,
        /** No connection to the endpoint: refused, timed out, or its TLS failed (flags UF, URX). */
        CONNECT_FAILURE,
        /** Either side reset the connection or failed with an I/O error. */
        RESET,
        /** No rule matched (NR) or the rule's cluster does not exist (NC). */
        NO_ROUTE,
        /** The cluster has no healthy endpoint (UH). */
        NO_HEALTHY_UPSTREAM,
        /** {@code tcp.maxConnections} was reached (UO). */
        OVERFLOW,
        /** The client sent no complete TLS ClientHello within the inspection timeout. */
        INSPECTION_TIMEOUT,
        /** No byte passed either way for the {@code tcp.idleTimeout}. */
        IDLE_TIMEOUT,
        /** The proxy was closed while the connection was open. */
        PROXY_CLOSED
    }

    public Connection {
        flags = Set.copyOf(flags);
    }

    public boolean hasFlag(ResponseFlag flag) {
        return flags.contains(flag);
    }

    public String subset() {
        return destination == null ? null : destination.subset();
    }
}
