package dev.meshunit.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.LoadResult;
import dev.meshunit.config.load.Problem;
import dev.meshunit.journal.Exchange;
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

    private final MeshProxy proxy;
    private final Function<String, LoadResult> configLoader;

    AdminHandler(MeshProxy proxy, Function<String, LoadResult> configLoader) {
        this.proxy = proxy;
        this.configLoader = configLoader;
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
            case "/journal" -> only(HttpMethod.GET, req, () -> journal(uri));
            case "/journal/reset" -> only(HttpMethod.POST, req, this::reset);
            case "/stats" -> only(HttpMethod.GET, req, () -> json(HttpResponseStatus.OK, Stats.of(proxy)));
            case "/config" -> only(HttpMethod.POST, req, () -> config(req.content().toString(StandardCharsets.UTF_8)));
            default -> error(HttpResponseStatus.NOT_FOUND, "no such path: " + uri.path()
                    + " (try /ready, /journal, /journal/reset, /stats, /config)");
        };
    }

    private static FullHttpResponse only(HttpMethod allowed, FullHttpRequest req, Supplier<FullHttpResponse> action) {
        if (req.method().equals(allowed)) return action.get();
        FullHttpResponse res = error(HttpResponseStatus.METHOD_NOT_ALLOWED,
                req.method() + " not allowed on " + new QueryStringDecoder(req.uri()).path() + "; use " + allowed);
        res.headers().set(HttpHeaderNames.ALLOW, allowed.name());
        return res;
    }

    private FullHttpResponse journal(QueryStringDecoder uri) {
        List<Exchange> all = proxy.journal().exchanges();
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
        return body(HttpResponseStatus.OK, "application/json", JournalJson.toJson(all));
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
