package dev.meshunit.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshunit.MeshProxy;
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
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The config model as JSON: empty and absent fields left out, durations as Istio writes them. */
    private static final ObjectMapper CONFIG_JSON = new ObjectMapper()
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
            .registerModule(new com.fasterxml.jackson.databind.module.SimpleModule().addSerializer(java.time.Duration.class,
                    new com.fasterxml.jackson.databind.ser.std.StdSerializer<java.time.Duration>(java.time.Duration.class) {
                        @Override
                        public void serialize(java.time.Duration d, com.fasterxml.jackson.core.JsonGenerator g,
                                com.fasterxml.jackson.databind.SerializerProvider p) throws java.io.IOException {
                            long ms = d.toMillis();
                            g.writeString(ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms");
                        }
                    }));

    private final MeshProxy proxy;
    private final Function<String, LoadResult> configLoader;
    private final Map<String, AdminServer.Endpoint> extensions;

    AdminHandler(MeshProxy proxy, Function<String, LoadResult> configLoader, Map<String, AdminServer.Endpoint> extensions) {
        this.proxy = proxy;
        this.configLoader = configLoader;
        this.extensions = Map.copyOf(extensions);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (req.decoderResult().isFailure()) {
            FullHttpResponse bad = error(HttpResponseStatus.BAD_REQUEST, "malformed request: " + req.decoderResult().cause());
            ctx.writeAndFlush(bad).addListener(ChannelFutureListener.CLOSE);
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
            case "/stats" -> only(HttpMethod.GET, req, () -> json(HttpResponseStatus.OK, Stats.of(proxy)));
            case "/config" -> {
                if (req.method().equals(HttpMethod.GET)) yield body(HttpResponseStatus.OK, "application/json", configInForce());
                FullHttpResponse r = only(HttpMethod.POST, req, () -> config(req.content().toString(StandardCharsets.UTF_8)));
                if (r.status().equals(HttpResponseStatus.METHOD_NOT_ALLOWED)) r.headers().set(HttpHeaderNames.ALLOW, "GET, POST");
                yield r;
            }
            default -> extension(req, uri);
        };
    }

    private FullHttpResponse extension(FullHttpRequest req, QueryStringDecoder uri) {
        AdminServer.Endpoint endpoint = extensions.get(uri.path());
        if (endpoint == null) {
            StringBuilder paths = new StringBuilder("/ready, /journal, /journal/shadows, /journal/connections, /journal/reset, /stats, /config");
            extensions.keySet().forEach(p -> paths.append(", ").append(p));
            return error(HttpResponseStatus.NOT_FOUND, "no such path: " + uri.path() + " (try " + paths + ")");
        }
        return only(HttpMethod.valueOf(endpoint.method()), req, () -> {
            AdminServer.Reply reply = endpoint.handler().apply(new AdminServer.Request(req.method().name(), uri.path(),
                    uri.parameters(), req.content().toString(StandardCharsets.UTF_8)));
            return body(HttpResponseStatus.valueOf(reply.status()), reply.contentType(), reply.body());
        });
    }

    /** The resources in force, in MeshUnit's model (record field names are Istio's). */
    private String configInForce() {
        try {
            return CONFIG_JSON.writeValueAsString(proxy.config());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the config as JSON", e);
        }
    }

    private static FullHttpResponse only(HttpMethod allowed, FullHttpRequest req, Supplier<FullHttpResponse> action) {
        if (req.method().equals(allowed)) return action.get();
        FullHttpResponse res = error(HttpResponseStatus.METHOD_NOT_ALLOWED,
                req.method() + " not allowed on " + new QueryStringDecoder(req.uri()).path() + "; use " + allowed);
        res.headers().set(HttpHeaderNames.ALLOW, allowed.name());
        return res;
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
        synchronized (this) {
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
            return body(status, "application/json", JSON.writeValueAsString(value));
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
