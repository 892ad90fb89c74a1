package dev.meshunit.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.meshunit.MeshProxy;
import dev.meshunit.chaos.internal.BodyLimit;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.LoadResult;
import dev.meshunit.config.load.Problem;
import dev.meshunit.journal.JournalJson;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/** Answers the admin API; stateless, so one instance serves every connection. */
@ChannelHandler.Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private final MeshProxy proxy;
    private final Function<String, LoadResult> configLoader;
    private final Map<String, AdminServer.Endpoint> extensions;
    private final FaultsApi faults;
    private final ResourceEdits edits;
    private final PrometheusStats prometheus;
    private final java.util.concurrent.Executor work;

    AdminHandler(MeshProxy proxy, Function<String, LoadResult> configLoader, Map<String, AdminServer.Endpoint> extensions,
            PrometheusStats prometheus, java.util.concurrent.Executor work) {
        this.work = work;
        this.proxy = proxy;
        this.configLoader = configLoader;
        this.extensions = Map.copyOf(extensions);
        this.faults = new FaultsApi(proxy.faults());
        this.edits = new ResourceEdits(proxy, configLoader);
        this.prometheus = prometheus;
    }

    /**
     * Parsing YAML and writing a large journal take time: they run on the admin's worker thread, never on its
     * event loop, which keeps accepting and reading. One worker keeps answers in request order.
     */
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        req.retain();
        try {
            work.execute(() -> {
                try {
                    answer(ctx, req);
                } finally {
                    req.release();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            req.release();
            ctx.close();
        }
    }

    private void answer(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (req.decoderResult().isFailure()) {
            FullHttpResponse bad = error(HttpResponseStatus.BAD_REQUEST, "malformed request: " + req.decoderResult().cause());
            // What follows a request Netty could not parse is unread: close as BodyLimit does, keeping the 400.
            ctx.writeAndFlush(bad).addListener(f -> BodyLimit.closeAfterAnswer(ctx.channel()));
            return;
        }
        FullHttpResponse res;
        try {
            res = dispatch(req);
        } catch (RuntimeException e) {
            res = error(HttpResponseStatus.INTERNAL_SERVER_ERROR, e.toString());
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(res, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(res);
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private FullHttpResponse dispatch(FullHttpRequest req) {
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        return switch (uri.path()) {
            case "/ready" -> only(HttpMethod.GET, req, () -> text(HttpResponseStatus.OK, "ready"));
            case "/journal" -> only(HttpMethod.GET, req,
                    () -> newest(uri, proxy.journal().exchanges(), JournalJson::toJson));
            case "/journal/shadows" -> only(HttpMethod.GET, req,
                    () -> newest(uri, proxy.journal().shadows().all(), JournalJson::shadowsToJson));
            case "/journal/connections" -> only(HttpMethod.GET, req,
                    () -> newest(uri, proxy.journal().connections().all(), JournalJson::connectionsToJson));
            case "/journal/reset" -> only(HttpMethod.POST, req, this::reset);
            case "/stats" -> only(HttpMethod.GET, req, () -> json(HttpResponseStatus.OK, Stats.of(proxy, prometheus.flagCounts())));
            case "/stats/prometheus" -> only(HttpMethod.GET, req, () -> reply(prometheus.scrape()));
            case "/faults" -> switch (req.method().name()) {
                case "GET" -> reply(faults.list());
                case "POST" -> reply(faults.add(req.content().toString(StandardCharsets.UTF_8)));
                case "DELETE" -> reply(faults.clear());
                default -> notAllowed(req, "GET, POST, DELETE");
            };
            case "/config/apply" -> only(HttpMethod.POST, req,
                    () -> reply(edits.apply(req.content().toString(StandardCharsets.UTF_8))));
            case "/config" -> {
                if (req.method().equals(HttpMethod.GET)) yield body(HttpResponseStatus.OK, "application/json", configInForce());
                FullHttpResponse r = only(HttpMethod.POST, req, () -> config(req.content().toString(StandardCharsets.UTF_8)));
                if (r.status().equals(HttpResponseStatus.METHOD_NOT_ALLOWED)) r.headers().set(HttpHeaderNames.ALLOW, "GET, POST");
                yield r;
            }
            default -> {
                if (uri.path().startsWith("/faults/")) yield oneFault(req, uri.path().substring("/faults/".length()));
                if (uri.path().startsWith("/config/")) yield deleteResource(req, uri.path().substring("/config/".length()));
                yield extension(req, uri);
            }
        };
    }

    private FullHttpResponse oneFault(FullHttpRequest req, String id) {
        return switch (req.method().name()) {
            case "GET" -> reply(faults.get(id));
            case "DELETE" -> reply(faults.remove(id));
            default -> notAllowed(req, "GET, DELETE");
        };
    }

    /** {@code DELETE /config/KIND/NAME} (namespace default) or {@code /config/KIND/NAMESPACE/NAME}. */
    private FullHttpResponse deleteResource(FullHttpRequest req, String rest) {
        String[] parts = rest.split("/", -1);
        if (parts.length < 2 || parts.length > 3 || java.util.Arrays.stream(parts).anyMatch(String::isEmpty)) {
            return error(HttpResponseStatus.NOT_FOUND, "no such path: /config/" + rest
                    + " (DELETE /config/KIND/NAME or /config/KIND/NAMESPACE/NAME; POST /config/apply)");
        }
        if (!req.method().equals(HttpMethod.DELETE)) return notAllowed(req, "DELETE");
        return parts.length == 2 ? reply(edits.delete(parts[0], dev.meshunit.config.Metadata.DEFAULT_NAMESPACE, parts[1]))
                : reply(edits.delete(parts[0], parts[1], parts[2]));
    }

    private static FullHttpResponse notAllowed(FullHttpRequest req, String allow) {
        FullHttpResponse res = error(HttpResponseStatus.METHOD_NOT_ALLOWED,
                req.method() + " not allowed on " + new QueryStringDecoder(req.uri()).path() + "; use " + allow);
        res.headers().set(HttpHeaderNames.ALLOW, allow);
        return res;
    }

    private static FullHttpResponse reply(AdminServer.Reply r) {
        if (r.status() == 204) return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
        return body(HttpResponseStatus.valueOf(r.status()), r.contentType(), r.body());
    }

    private FullHttpResponse extension(FullHttpRequest req, QueryStringDecoder uri) {
        AdminServer.Endpoint endpoint = extensions.get(uri.path());
        if (endpoint == null) {
            StringBuilder paths = new StringBuilder("/ready, /journal, /journal/shadows, /journal/connections, /journal/reset, /stats, "
                    + "/stats/prometheus, /config, /config/apply, /config/KIND/NAME, /faults, /faults/ID");
            extensions.keySet().forEach(p -> paths.append(", ").append(p));
            return error(HttpResponseStatus.NOT_FOUND, "no such path: " + uri.path() + " (try " + paths + ")");
        }
        return only(HttpMethod.valueOf(endpoint.method()), req, () -> {
            return reply(endpoint.handler().apply(new AdminServer.Request(req.method().name(), uri.path(),
                    uri.parameters(), req.content().toString(StandardCharsets.UTF_8))));
        });
    }

    /** The resources in force, in MeshUnit's model (record field names are Istio's). */
    private String configInForce() {
        try {
            return AdminJson.config().writeValueAsString(proxy.config());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the config as JSON", e);
        }
    }

    private static FullHttpResponse only(HttpMethod allowed, FullHttpRequest req, Supplier<FullHttpResponse> action) {
        return req.method().equals(allowed) ? action.get() : notAllowed(req, allowed.name());
    }

    /** A journal list as JSON, oldest first; with {@code ?limit=N}, the newest N. */
    private static <T> FullHttpResponse newest(QueryStringDecoder uri, List<T> all, Function<List<T>, String> toJson) {
        List<String> limits = uri.parameters().get("limit");
        if (limits != null && !limits.isEmpty()) {
            int limit;
            try {
                limit = Integer.parseInt(limits.get(0));
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 0) {
                return error(HttpResponseStatus.BAD_REQUEST, "limit must be a whole number >= 0, was " + limits.get(0));
            }
            all = all.subList(Math.max(0, all.size() - limit), all.size());
        }
        return body(HttpResponseStatus.OK, "application/json", toJson.apply(all));
    }

    private FullHttpResponse reset() {
        proxy.journal().reset();
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
    }

    private FullHttpResponse config(String yaml) {
        if (yaml.isBlank()) {
            return configAnswer(HttpResponseStatus.BAD_REQUEST,
                    List.of("empty body: POST the Istio YAML that is to replace the config"), List.of(), 0);
        }
        LoadResult result;
        try {
            result = configLoader.apply(yaml);
        } catch (RuntimeException e) {
            return configAnswer(HttpResponseStatus.BAD_REQUEST, List.of(String.valueOf(e.getMessage())), List.of(), 0);
        }
        List<String> warnings = result.warnings().stream().map(Problem::toString).toList();
        if (result.hasErrors()) {
            return configAnswer(HttpResponseStatus.BAD_REQUEST,
                    result.errors().stream().map(Problem::toString).toList(), warnings, 0);
        }
        synchronized (proxy) { // with ResourceEdits: one config change at a time
            try {
                proxy.updateConfig(result.config());
            } catch (RuntimeException e) {
                return configAnswer(HttpResponseStatus.BAD_REQUEST, List.of("config refused: " + e.getMessage()), warnings, 0);
            }
        }
        return configAnswer(HttpResponseStatus.OK, List.of(), warnings, resources(result.config()));
    }

    private static int resources(IstioConfig c) {
        return c.virtualServices().size() + c.destinationRules().size() + c.serviceEntries().size()
                + c.workloadEntries().size();
    }

    private static FullHttpResponse configAnswer(HttpResponseStatus status, List<String> errors, List<String> warnings,
            int resources) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errors", errors);
        body.put("warnings", warnings);
        if (status.equals(HttpResponseStatus.OK)) body.put("resources", resources);
        return json(status, body);
    }

    private static FullHttpResponse error(HttpResponseStatus status, String message) {
        return json(status, Map.of("error", message));
    }

    private static FullHttpResponse json(HttpResponseStatus status, Object value) {
        try {
            return body(status, "application/json", AdminJson.mapper().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FullHttpResponse text(HttpResponseStatus status, String text) {
        return body(status, "text/plain; charset=utf-8", text);
    }

    private static FullHttpResponse body(HttpResponseStatus status, String contentType, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        return res;
    }
}
