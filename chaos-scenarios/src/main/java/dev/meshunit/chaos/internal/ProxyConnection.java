package dev.meshunit.chaos.internal;

import dev.meshunit.chaos.Direction;
import dev.meshunit.chaos.EndReason;
import dev.meshunit.chaos.ToxicSpec;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.Random;

/**
 * One accepted client and its upstream socket, which shares the client's event loop. Everything
 * here runs on that loop except {@link #close} and {@link #chainChanged}, which hop onto it.
 */
final class ProxyConnection {
    private final ProxyRuntime proxy;
    private final Channel client;
    private final Promise<Void> finished;
    private ConnectionLog log;
    private Channel upstream;
    private Pipe up;
    private Pipe down;
    private boolean clientOpen = true;
    private boolean upstreamOpen;

    ProxyConnection(ProxyRuntime proxy, Channel client) {
        this.proxy = proxy;
        this.client = client;
        this.finished = client.eventLoop().newPromise();
    }

    void clientActive() {
        log = proxy.journal().open(proxy.name(), HostPort.format(client.remoteAddress()), proxy.upstream());
        if (!proxy.register(this)) {
            blame(EndReason.PROXY_DISABLED);
            client.close();
            return;
        }
        HostPort target;
        try {
            target = HostPort.parse(proxy.upstream());
        } catch (IllegalArgumentException e) {
            blame(EndReason.CONNECT_FAILED);
            client.close();
            return;
        }
        upstreamOpen = true;
        new Bootstrap()
                .group(client.eventLoop())
                .channel(client.getClass().asSubclass(Channel.class))
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new RelayHandler(this, false))
                .connect(target.host(), target.port())
                .addListener((ChannelFuture f) -> connected(f));
    }

    private void connected(ChannelFuture future) {
        if (!future.isSuccess()) {
            upstreamOpen = false;
            blame(EndReason.CONNECT_FAILED);
            client.close();
            if (!clientOpen) {
                finish();
            }
            return;
        }
        upstream = future.channel();
        if (!clientOpen) {
            upstream.close();
            return;
        }
        up = new Pipe(this, Direction.UPSTREAM, client, upstream);
        down = new Pipe(this, Direction.DOWNSTREAM, upstream, client);
        up.setChain(proxy.chain(Direction.UPSTREAM));
        down.setChain(proxy.chain(Direction.DOWNSTREAM));
        up.start();
        down.start();
    }

    void read(boolean clientSide, ByteBuf data) {
        Pipe pipe = clientSide ? up : down;
        if (pipe == null) {
            data.release();
        } else {
            pipe.onRead(data);
        }
    }

    void readComplete(boolean clientSide) {
        Pipe pipe = clientSide ? up : down;
        if (pipe != null) {
            pipe.onReadComplete();
        }
    }

    void inactive(boolean clientSide) {
        if (clientSide) {
            clientOpen = false;
            blame(EndReason.CLIENT_CLOSED);
            if (up != null) {
                up.onSourceClosed();
            }
        } else {
            upstreamOpen = false;
            blame(EndReason.UPSTREAM_CLOSED);
            if (down != null) {
                down.onSourceClosed();
            }
        }
        if (!clientOpen && !upstreamOpen) {
            finish();
        }
    }

    private void finish() {
        if (finished.isDone()) {
            return;
        }
        if (up != null) {
            up.discard();
            down.discard();
        }
        if (log != null) {
            log.ended();
        }
        proxy.unregister(this);
        finished.setSuccess(null);
    }

    /** Closes both sockets with a FIN; the returned future completes when both are closed. */
    Future<Void> close(EndReason reason) {
        client.eventLoop().execute(() -> {
            blame(reason);
            client.close();
            if (upstream != null) {
                upstream.close();
            }
        });
        return finished;
    }

    /** Splices the proxy's current chain in on the connection's loop; the future says when it is in place. */
    Future<?> chainChanged(Direction direction) {
        return client.eventLoop().submit(() -> {
            Pipe pipe = direction == Direction.UPSTREAM ? up : down;
            if (pipe != null) {
                pipe.setChain(proxy.chain(direction));
            }
        });
    }

    void reset() {
        blame(EndReason.RESET_BY_TOXIC);
        for (Channel channel : new Channel[] {client, upstream}) {
            if (channel != null && channel.isOpen()) {
                channel.config().setOption(ChannelOption.SO_LINGER, 0);
                channel.close();
            }
        }
    }

    void blame(EndReason reason) {
        if (log != null) {
            log.blame(reason);
        }
    }

    void delivered(Direction direction, int bytes) {
        log.delivered(direction, bytes);
    }

    void applied(ToxicSpec toxic) {
        log.applied(toxic);
    }

    boolean draw(ToxicSpec toxic) {
        Random random = proxy.random();
        synchronized (random) {
            return random.nextFloat() < toxic.toxicity();
        }
    }

    Random random() {
        return proxy.random();
    }

    ToxicTimers timers() {
        return proxy.timers();
    }
}
