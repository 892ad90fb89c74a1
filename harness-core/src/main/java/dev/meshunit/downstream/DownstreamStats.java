package dev.meshunit.downstream;

/**
 * The downstream side's counters since the proxy started, named as Envoy's HTTP connection manager and listener
 * stats are ({@code downstream_cx_total} ...), for {@code GET /stats}.
 *
 * @param cxTotal           connections accepted ({@code downstream_cx_total})
 * @param cxActive          connections open now ({@code downstream_cx_active})
 * @param cxOverflow        connections closed at accept by {@code maxConnections} ({@code downstream_cx_overflow})
 * @param cxIdleTimeout     connections closed by the idle timeout ({@code downstream_cx_idle_timeout})
 * @param cxProtocolError   requests refused as malformed or over a header limit: 400, 431, 501
 *                          ({@code downstream_cx_protocol_error})
 * @param rqHeaderTimeout   heads answered 408 by the request headers timeout ({@code downstream_rq_header_timeout})
 * @param rqIdleTimeout     streams ended by the stream idle timeout ({@code downstream_rq_idle_timeout})
 * @param rqHeadersTooLarge of the protocol errors, the 431s: too many headers or too many bytes (MeshUnit's own)
 * @param rqOverloadClose   heads refused 503 OM because unfinished heads hold the budget
 *                          ({@code downstream_rq_overload_close})
 */
public record DownstreamStats(long cxTotal, long cxActive, long cxOverflow, long cxIdleTimeout, long cxProtocolError,
                              long rqHeaderTimeout, long rqIdleTimeout, long rqHeadersTooLarge, long rqOverloadClose) {
}
