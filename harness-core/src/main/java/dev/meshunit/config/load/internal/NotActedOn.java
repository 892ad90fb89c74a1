package dev.meshunit.config.load.internal;

/**
 * The one list of fields MeshUnit accepts (so that real Istio configs load) but does not act on, with the
 * reason the warning gives.
 */
public final class NotActedOn {
    private NotActedOn() {}

    public static final String GATEWAYS = "the VirtualService is bound to gateways and not to mesh, so sidecars never see it";
    public static final String EXPORT_TO = "visibility has no meaning in a single proxy";
    public static final String CORS = "CORS is a browser concern";
    public static final String DELEGATE = "delegate VirtualServices are not supported";
    public static final String WORKLOAD_SELECTOR = "there is one client workload";
    public static final String LOCALITY_LB = "endpoints have no localities in a single proxy";
    public static final String WARMUP = "slow start is not simulated";
    public static final String TUNNEL = "HTTP CONNECT tunnelling is not simulated";
    public static final String PROXY_PROTOCOL = "PROXY protocol headers are not sent";
    public static final String SOURCE_NAMESPACE = "there is one client namespace";
    public static final String STAT_PREFIX = "there are no Envoy stats";
    public static final String MATCH_GATEWAYS = "gateways do not exist in MeshUnit";
    public static final String ISTIO_MUTUAL = "Istio mutual TLS is not simulated; connections stay plain";
    public static final String REMOTE_LOCALITIES = "endpoints have no localities in a single proxy";
    public static final String BACKEND_UTILIZATION = "endpoints report no load (ORCA) to a test proxy";
    public static final String SOURCE_SUBNET = "the proxy is the one source; its address is not matched";
    public static final String TLS_FILES = "certificate revocation lists and Kubernetes secrets are not read";
    public static final String UPSTREAM_HTTP = "upstream connections are HTTP/1.1, kept until closed or idle";
    public static final String BUDGET_INTERVAL = "the retry budget counts active requests only";
    public static final String ENDPOINT_IDENTITY = "endpoints have no network, locality or identity in a single proxy";
    public static final String HTTP2 = "HTTP/2 PING keep-alive is not sent to upstreams";
    public static final String COOKIE_ATTRIBUTES = "generated cookies carry only name, path and TTL";
    public static final String SUBJECT_ALT_NAMES = "certificates are not verified";
}
