package dev.meshunit.config.build;

import dev.meshunit.config.Destination;
import dev.meshunit.config.Headers;
import dev.meshunit.config.HttpDirectResponse;
import dev.meshunit.config.HttpFaultInjection;
import dev.meshunit.config.HttpMatchRequest;
import dev.meshunit.config.HttpRedirect;
import dev.meshunit.config.HttpRetry;
import dev.meshunit.config.HttpRewrite;
import dev.meshunit.config.HttpRoute;
import dev.meshunit.config.HttpRouteDestination;
import dev.meshunit.config.StringMatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One HTTP rule. {@code match(...)} adds an alternative (OR); the {@code matchX} shortcuts add conditions to
 * the first alternative (AND).
 */
public final class HttpRouteBuilder {
    private String name;
    private final List<MatchBuilder> matches = new ArrayList<>();
    private final List<HttpRouteDestination> route = new ArrayList<>();
    private HttpRedirect redirect;
    private HttpDirectResponse directResponse;
    private HttpRewrite rewrite;
    private Duration timeout;
    private HttpRetry retries;
    private HttpFaultInjection.Delay delay;
    private HttpFaultInjection.Abort abort;
    private Destination mirror;
    private Double mirrorPercentage;
    private final HeaderOpsBuilder requestHeaders = new HeaderOpsBuilder();
    private final HeaderOpsBuilder responseHeaders = new HeaderOpsBuilder();

    HttpRouteBuilder() {}

    public HttpRouteBuilder name(String name) {
        this.name = name;
        return this;
    }

    public HttpRouteBuilder match(Consumer<MatchBuilder> match) {
        MatchBuilder m = new MatchBuilder();
        match.accept(m);
        matches.add(m);
        return this;
    }

    public HttpRouteBuilder matchUri(StringMatch uri) {
        first().uri(uri);
        return this;
    }

    public HttpRouteBuilder matchHeader(String header, StringMatch match) {
        first().header(header, match);
        return this;
    }

    public HttpRouteBuilder matchMethod(String method) {
        first().method(method);
        return this;
    }

    public HttpRouteBuilder matchQueryParam(String param, StringMatch match) {
        first().queryParam(param, match);
        return this;
    }

    private MatchBuilder first() {
        if (matches.isEmpty()) matches.add(new MatchBuilder());
        return matches.get(0);
    }

    /** All traffic of this rule to {@code host}. */
    public HttpRouteBuilder route(String host) {
        return route(Destination.of(host), null, null);
    }

    public HttpRouteBuilder route(String host, String subset, int weight) {
        return route(Destination.of(host, subset), weight, null);
    }

    public HttpRouteBuilder route(Destination destination, Integer weight, Headers headers) {
        route.add(new HttpRouteDestination(destination, weight, headers));
        return this;
    }

    public HttpRouteBuilder timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** {@code attempts} retries (so up to attempts + 1 tries); perTryTimeout and retryOn may be null. */
    public HttpRouteBuilder retries(int attempts, Duration perTryTimeout, String retryOn) {
        this.retries = new HttpRetry(attempts, perTryTimeout, retryOn, null, null, null);
        return this;
    }

    public HttpRouteBuilder retries(HttpRetry retries) {
        this.retries = retries;
        return this;
    }

    /** Delays {@code percentage} percent (0–100, not a fraction) of requests. */
    public HttpRouteBuilder delay(Duration fixedDelay, double percentage) {
        this.delay = new HttpFaultInjection.Delay(fixedDelay, null, percentage, null);
        return this;
    }

    /** Answers {@code httpStatus} to {@code percentage} percent (0–100, not a fraction) of requests. */
    public HttpRouteBuilder abort(int httpStatus, double percentage) {
        this.abort = new HttpFaultInjection.Abort(httpStatus, null, null, percentage);
        return this;
    }

    public HttpRouteBuilder rewriteUri(String uri) {
        this.rewrite = new HttpRewrite(uri, rewrite == null ? null : rewrite.uriRegexRewrite(), rewrite == null ? null : rewrite.authority());
        return this;
    }

    public HttpRouteBuilder rewriteAuthority(String authority) {
        this.rewrite = new HttpRewrite(rewrite == null ? null : rewrite.uri(), rewrite == null ? null : rewrite.uriRegexRewrite(), authority);
        return this;
    }

    public HttpRouteBuilder rewrite(HttpRewrite rewrite) {
        this.rewrite = rewrite;
        return this;
    }

    /** A 301 to {@code uri}; use {@link #redirect(HttpRedirect)} for authority, scheme or code. */
    public HttpRouteBuilder redirect(String uri) {
        return redirect(new HttpRedirect(uri, null, null, null, null, null, null));
    }

    public HttpRouteBuilder redirect(HttpRedirect redirect) {
        this.redirect = redirect;
        return this;
    }

    public HttpRouteBuilder directResponse(int status, String body) {
        this.directResponse = new HttpDirectResponse(status, body, null);
        return this;
    }

    /** Mirrors {@code percentage} percent of requests (null: all) to {@code host}/{@code subset}; replies are dropped. */
    public HttpRouteBuilder mirror(String host, String subset, Double percentage) {
        this.mirror = Destination.of(host, subset);
        this.mirrorPercentage = percentage;
        return this;
    }

    public HttpRouteBuilder requestHeaders(Consumer<HeaderOpsBuilder> ops) {
        ops.accept(requestHeaders);
        return this;
    }

    public HttpRouteBuilder responseHeaders(Consumer<HeaderOpsBuilder> ops) {
        ops.accept(responseHeaders);
        return this;
    }

    HttpRoute build() {
        HttpFaultInjection fault = delay == null && abort == null ? null : new HttpFaultInjection(delay, abort);
        List<HttpMatchRequest> match = matches.stream().map(MatchBuilder::build).toList();
        return new HttpRoute(name, match, route, redirect, directResponse, null, rewrite, timeout, retries, fault, mirror,
                mirrorPercentage, null, null, null, new Headers(requestHeaders.build(), responseHeaders.build()));
    }
}
