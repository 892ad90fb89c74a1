package dev.meshunit.config.load.internal;

import dev.meshunit.config.CorsPolicy;
import dev.meshunit.config.Delegate;
import dev.meshunit.config.HttpDirectResponse;
import dev.meshunit.config.HttpFaultInjection;
import dev.meshunit.config.HttpMatchRequest;
import dev.meshunit.config.HttpMirrorPolicy;
import dev.meshunit.config.HttpRedirect;
import dev.meshunit.config.HttpRetry;
import dev.meshunit.config.HttpRewrite;
import dev.meshunit.config.HttpRoute;
import dev.meshunit.config.HttpRouteDestination;
import dev.meshunit.config.L4MatchAttributes;
import dev.meshunit.config.L4Route;
import dev.meshunit.config.Metadata;
import dev.meshunit.config.RegexRewrite;
import dev.meshunit.config.RouteDestination;
import dev.meshunit.config.VirtualService;

/** VirtualService spec → records; fields asked in the order of virtual_service.proto. */
final class VirtualServiceBinder {
    private VirtualServiceBinder() {}

    static VirtualService bind(Metadata metadata, Fields f) {
        return new VirtualService(metadata, f.strings("hosts"), f.strings("gateways"), f.list("http", VirtualServiceBinder::http),
                f.list("tls", l4(true)), f.list("tcp", l4(false)), f.strings("exportTo"));
    }

    private static HttpRoute http(Fields f) {
        return new HttpRoute(f.string("name"), f.list("match", VirtualServiceBinder::match),
                f.list("route", VirtualServiceBinder::routeDestination), f.object("redirect", VirtualServiceBinder::redirect),
                f.object("directResponse", VirtualServiceBinder::directResponse),
                f.object("delegate", d -> new Delegate(d.string("name"), d.string("namespace"))),
                f.object("rewrite", VirtualServiceBinder::rewrite), f.duration("timeout"),
                f.object("retries", VirtualServiceBinder::retries), f.object("fault", VirtualServiceBinder::fault),
                f.object("mirror", CommonBinder::destination), f.percent("mirrorPercentage"), f.integer("mirrorPercent"),
                f.list("mirrors", m -> new HttpMirrorPolicy(m.object("destination", CommonBinder::destination), m.percent("percentage"))),
                f.object("corsPolicy", VirtualServiceBinder::cors), f.object("headers", CommonBinder::headers));
    }

    private static HttpMatchRequest match(Fields f) {
        return new HttpMatchRequest(f.string("name"), f.object("uri", CommonBinder::stringMatch),
                f.object("scheme", CommonBinder::stringMatch), f.object("method", CommonBinder::stringMatch),
                f.object("authority", CommonBinder::stringMatch), f.objectMap("headers", CommonBinder::stringMatch),
                f.objectMap("withoutHeaders", CommonBinder::stringMatch), f.objectMap("queryParams", CommonBinder::stringMatch),
                f.bool("ignoreUriCase"), f.integer("port"), f.stringMap("sourceLabels"), f.string("sourceNamespace"),
                f.strings("gateways"), f.string("statPrefix"));
    }

    private static HttpRouteDestination routeDestination(Fields f) {
        return new HttpRouteDestination(f.object("destination", CommonBinder::destination), f.integer("weight"),
                f.object("headers", CommonBinder::headers));
    }

    private static HttpRedirect redirect(Fields f) {
        return new HttpRedirect(f.string("uri"), f.string("prefixRewrite"), f.string("authority"), f.integer("port"),
                f.oneOf("derivePort", "FROM_PROTOCOL_DEFAULT", "FROM_REQUEST_PORT"), f.string("scheme"),
                f.integer("redirectCode"));
    }

    private static HttpDirectResponse directResponse(Fields f) {
        Integer status = f.integer("status");
        String[] body = new String[2];
        f.object("body", b -> {
            body[0] = b.string("string");
            body[1] = b.string("bytes");
            return null;
        });
        return new HttpDirectResponse(status == null ? 0 : status, body[0], body[1]);
    }

    private static HttpRewrite rewrite(Fields f) {
        return new HttpRewrite(f.string("uri"),
                f.object("uriRegexRewrite", r -> new RegexRewrite(r.string("match"), r.string("rewrite"))),
                f.string("authority"));
    }

    private static HttpRetry retries(Fields f) {
        return new HttpRetry(f.integer("attempts"), f.duration("perTryTimeout"), f.string("retryOn"),
                f.bool("retryRemoteLocalities"), f.bool("retryIgnorePreviousHosts"), f.duration("backoff"));
    }

    private static HttpFaultInjection fault(Fields f) {
        return new HttpFaultInjection(
                f.object("delay", d -> new HttpFaultInjection.Delay(d.duration("fixedDelay"), d.duration("exponentialDelay"),
                        d.percent("percentage"), d.integer("percent"))),
                f.object("abort", a -> new HttpFaultInjection.Abort(a.integer("httpStatus"), a.string("grpcStatus"),
                        a.string("http2Error"), a.percent("percentage"))));
    }

    private static CorsPolicy cors(Fields f) {
        return new CorsPolicy(f.list("allowOrigins", CommonBinder::stringMatch), f.strings("allowOrigin"),
                f.strings("allowMethods"), f.strings("allowHeaders"), f.strings("exposeHeaders"), f.string("maxAge"),
                f.bool("allowCredentials"), f.oneOf("unmatchedPreflights", "UNSPECIFIED", "FORWARD", "IGNORE"));
    }

    private static java.util.function.Function<Fields, L4Route> l4(boolean tls) {
        return f -> new L4Route(f.list("match", m -> new L4MatchAttributes(m.strings("destinationSubnets"), m.integer("port"),
                m.stringMap("sourceLabels"), m.string("sourceNamespace"), m.strings("gateways"),
                tls ? m.strings("sniHosts") : null, tls ? null : m.string("sourceSubnet"))),
                f.list("route", r -> new RouteDestination(r.object("destination", CommonBinder::destination), r.integer("weight"))));
    }
}
