package dev.meshunit.admin;

import dev.meshunit.MeshProxy;
import dev.meshunit.chaos.internal.BodyLimit;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.config.load.LoadResult;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A small HTTP API over a running {@link MeshProxy}, for scripts and for tests in other languages:
 * <ul>
 * <li>{@code GET /ready}: 200 {@code ready}</li>
 * <li>{@code GET /journal[?limit=N]}: the journal as a JSON array, oldest first; with a limit, the newest N</li>
 * <li>{@code GET /journal/shadows[?limit=N]}: the mirrored copies, each linked to its exchange by {@code primaryId},
 * in the order they ended; with a limit, the newest N</li>
 * <li>{@code POST /journal/reset}: forgets every exchange, shadow and counter; 204</li>
 * <li>{@code GET /stats}: counters per cluster (host, port, subset) and per endpoint, and the journal's totals</li>
 * <li>{@code POST /config}: Istio YAML replaces the config; 200 {@code {"errors":[],"warnings":[...]}}, or 400
 * with the errors, the old config still in force</li>
 * <li>{@code POST /config/apply}, {@code DELETE /config/KIND/[NAMESPACE/]NAME}: one resource at a time, the rest
 * kept ({@link ResourceEdits})</li>
 * <li>{@code GET/POST/DELETE /faults}, {@code GET/DELETE /faults/ID}: run-time fault overrides ({@link FaultsApi})</li>
 * <li>{@code GET /stats/prometheus}: Istio's and Envoy's metrics in Prometheus' text format</li>
 * </ul>
 * and the endpoints added with {@link Builder#endpoint}. It has its own event loop, so a busy proxy never
 * delays it, and answers on a worker thread of its own, so that parsing a large config never stops it reading.
 * A request body over {@link Builder#maxBodyBytes} (4 MiB) is answered 413. Binds 127.0.0.1 unless told otherwise.
 */
public final class AdminServer implements AutoCloseable {
    /** The name that stands for the file in problems found in a POSTed config. */
    public static final String BODY_NAME = "<request body>";

    /** Larger request bodies are answered 413; a config that large is no test's. */
    public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
    private static final Set<String> BUILT_IN = Set.of("/ready", "/journal", "/journal/shadows", "/journal/reset",
            "/stats", "/stats/prometheus", "/config", "/config/apply", "/faults");

    /** A request to an added endpoint: method, path, query parameters and the body as UTF-8 text. */
    public record Request(String method, String path, Map<String, List<String>> query, String body) {}

    /** The answer of an added endpoint. */
    public record Reply(int status, String contentType, String body) {
        public static Reply json(int status, String json) {
            return new Reply(status, "application/json", json);
        }
    }

    record Endpoint(String method, Function<Request, Reply> handler) {}

    private final EventLoopGroup group;
    private final Channel channel;
    private final InetSocketAddress address;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final PrometheusStats prometheus;
    private final java.util.concurrent.ExecutorService work = java.util.concurrent.Executors.newSingleThreadExecutor(
            new DefaultThreadFactory("meshunit-admin-work", true));

    private AdminServer(Builder b) throws InterruptedException {
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("meshunit-admin", true),
                NioIoHandler.newFactory());
        this.prometheus = new PrometheusStats(b.proxy);
        AdminHandler handler = new AdminHandler(b.proxy, b.configLoader, b.endpoints, prometheus, work);
        int maxBody = b.maxBodyBytes;
        try {
            this.channel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast("codec", new HttpServerCodec());
                            ch.pipeline().addLast("aggregator", new BodyLimit(maxBody, "{\"error\":\"request body over " + maxBody
                                    + " bytes (AdminServer.Builder.maxBodyBytes)\"}"));
                            ch.pipeline().addLast("admin", handler);
                        }
                    })
                    .bind(new InetSocketAddress(b.bindAddress, b.port)).sync().channel();
        } catch (Throwable e) { // Netty rethrows a BindException unchecked
            work.shutdownNow();
            prometheus.close();
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            throw e;
        }
        this.address = (InetSocketAddress) channel.localAddress();
    }

    /** An admin server for {@code proxy}; POSTed config is read by {@link ConfigLoader#create()}. */
    public static Builder builder(MeshProxy proxy) {
        return new Builder(proxy);
    }

    public InetSocketAddress address() {
        return address;
    }

    public int port() {
        return address.getPort();
    }

    /** Stops listening and releases the event loop; the proxy is left running. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        prometheus.close();
        channel.close().syncUninterruptibly();
        work.shutdownNow();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Settings of an admin server. */
    public static final class Builder {
        private final MeshProxy proxy;
        private Function<String, LoadResult> configLoader = yaml -> ConfigLoader.create().loadString(BODY_NAME, yaml);
        private String bindAddress = "127.0.0.1";
        private int port;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();

        private Builder(MeshProxy proxy) {
            this.proxy = Objects.requireNonNull(proxy, "proxy");
        }

        /**
         * Turns the YAML of a {@code POST /config} into a config; a result with errors is refused and the proxy
         * keeps its config. Use it to resolve placeholders the way the first config was loaded.
         */
        public Builder configLoader(Function<String, LoadResult> loader) {
            this.configLoader = Objects.requireNonNull(loader, "loader");
            return this;
        }

        public Builder bindAddress(String bindAddress) {
            this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
            return this;
        }

        /**
         * Adds an endpoint: {@code method} on {@code path} (exactly; the query is passed on), answered by
         * {@code handler} on the admin event loop, so it should be quick. Another method on the path answers 405;
         * an exception, 500. The built-in paths cannot be replaced.
         */
        public Builder endpoint(String method, String path, Function<Request, Reply> handler) {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(handler, "handler");
            if (!path.startsWith("/")) throw new IllegalArgumentException("a path starts with /: " + path);
            if (BUILT_IN.contains(path) || endpoints.containsKey(path)) {
                throw new IllegalArgumentException("path already answered: " + path);
            }
            endpoints.put(path, new Endpoint(method.toUpperCase(java.util.Locale.ROOT), handler));
            return this;
        }

        /** The largest request body taken (4 MiB unless set); a larger one is answered 413. */
        public Builder maxBodyBytes(int bytes) {
            if (bytes < 0) throw new IllegalArgumentException("maxBodyBytes must be >= 0, got " + bytes);
            this.maxBodyBytes = bytes;
            return this;
        }

        /** 0 (the default) picks a free port. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0-65535, got " + port);
            this.port = port;
            return this;
        }

        public AdminServer start() {
            try {
                return new AdminServer(this);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while binding", e);
            } catch (Exception e) {
                if (e instanceof IOException io) {
                    throw new UncheckedIOException("admin cannot listen on " + bindAddress + ":" + port + ": "
                            + io.getMessage(), io);
                }
                throw e;
            }
        }
    }
}
