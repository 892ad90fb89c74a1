package dev.meshunit.internal.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import java.util.Collection;

/**
 * The HTTP/1.1 {@code Upgrade: h2c} path of a downstream connection (RFC 7540 section 3.2): a request that asks
 * for it (with its {@code HTTP2-Settings}) is answered 101, the connection then runs the HTTP/2 connection
 * manager, and the request itself becomes stream 1, routed and journalled as HTTP/2. Only requests whose
 * {@code Upgrade} names h2c are held here (whole, up to the body limit); every other request, a WebSocket
 * upgrade included, passes straight on to the HTTP/1 connection manager. (Envoy ignores h2c upgrades and
 * answers in HTTP/1.1: a documented difference.)
 */
final class H2cUpgrade extends HttpServerUpgradeHandler {
    H2cUpgrade(HttpServerCodec http1, Channel ch, ProxyRuntime runtime, String fixedAuthority) {
        super(http1, protocol -> "h2c".contentEquals(protocol) ? new ToHttp2(ch, runtime, fixedAuthority) : null,
                runtime.maxBufferedBodyBytes());
    }

    @Override
    protected boolean shouldHandleUpgradeRequest(HttpRequest req) {
        return asksForH2c(req.headers());
    }

    static boolean asksForH2c(HttpHeaders h) {
        String upgrade = h.get(HttpHeaderNames.UPGRADE);
        if (upgrade == null) return false;
        for (String token : upgrade.split(",")) {
            if (token.trim().equalsIgnoreCase("h2c")) return true;
        }
        return false;
    }

    /** Netty's HTTP/2 upgrade codec, after the HTTP/1 handlers of this connection are taken out. */
    private static final class ToHttp2 implements UpgradeCodec {
        private final Http2ServerUpgradeCodec http2;

        ToHttp2(Channel ch, ProxyRuntime runtime, String fixedAuthority) {
            this.http2 = new Http2ServerUpgradeCodec(Http2ConnectionManager.frameCodec(),
                    Http2ConnectionManager.streamHandlers(ch, runtime, fixedAuthority));
        }

        @Override
        public Collection<CharSequence> requiredUpgradeHeaders() {
            return http2.requiredUpgradeHeaders();
        }

        @Override
        public boolean prepareUpgradeResponse(ChannelHandlerContext ctx, FullHttpRequest request, HttpHeaders headers) {
            return http2.prepareUpgradeResponse(ctx, request, headers);
        }

        @Override
        public void upgradeTo(ChannelHandlerContext ctx, FullHttpRequest request) {
            ChannelPipeline p = ctx.pipeline();
            for (String http1 : new String[] {"expect", "cm"}) {
                if (p.get(http1) != null) p.remove(http1);
            }
            if (p.get("guard") instanceof DownstreamGuard guard) guard.http2(); // no HTTP/1 head timers from here on
            http2.upgradeTo(ctx, request);
        }
    }
}
