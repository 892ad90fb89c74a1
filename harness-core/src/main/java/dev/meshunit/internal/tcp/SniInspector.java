package dev.meshunit.internal.tcp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.util.concurrent.Future;

/**
 * Envoy's tls_inspector: reads the ClientHello (across as many TCP segments and TLS records as it takes, up
 * to 64 KiB) for its server name, without terminating TLS, then steps aside; every byte it read goes on to the
 * session unchanged. Anything that is not TLS gives no name; a client that sends no complete ClientHello within
 * the timeout is closed. Either way the session learns it from Netty's {@code SniCompletionEvent}.
 */
final class SniInspector extends AbstractSniHandler<String> {
    SniInspector(long timeoutMillis) {
        super(64 * 1024, timeoutMillis);
    }

    @Override
    protected Future<String> lookup(ChannelHandlerContext ctx, String hostname) {
        return ctx.executor().newSucceededFuture(hostname);
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, String hostname, Future<String> future) {
        // Removing a ByteToMessageDecoder hands what it accumulated to the next handler.
        ctx.pipeline().remove(this);
    }
}
