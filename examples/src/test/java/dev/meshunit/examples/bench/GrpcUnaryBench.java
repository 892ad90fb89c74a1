package dev.meshunit.examples.bench;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * gRPC unary throughput with grpc-java on both ends, for examples/bench/grpc.sh: {@code server PORT} runs an echo
 * server (method {@code bench.Echo/Say}); {@code client HOST:PORT AUTHORITY SECONDS CONCURRENCY BYTES} keeps
 * CONCURRENCY calls in flight on one channel (one HTTP/2 connection) for SECONDS after a warm-up of the same
 * length, and prints one line: {@code calls/s p50_ms p99_ms errors}.
 */
public final class GrpcUnaryBench {
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    static final MethodDescriptor<byte[], byte[]> SAY = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("bench.Echo/Say")
            .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();

    private GrpcUnaryBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("server")) {
            serve(Integer.parseInt(args[1]));
        } else if (args.length == 6 && args[0].equals("client")) {
            String[] target = args[1].split(":");
            run(target[0], Integer.parseInt(target[1]), args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]));
        } else {
            System.err.println("usage: server PORT | client HOST:PORT AUTHORITY SECONDS CONCURRENCY BYTES");
            System.exit(2);
        }
    }

    static void serve(int port) throws Exception {
        ServerServiceDefinition echo = ServerServiceDefinition.builder("bench.Echo")
                .addMethod(SAY, ServerCalls.asyncUnaryCall((req, out) -> {
                    out.onNext(req);
                    out.onCompleted();
                })).build();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port)).addService(echo)
                .build().start();
        System.out.println("grpc bench server listening on 127.0.0.1:" + server.getPort());
        server.awaitTermination();
    }

    static void run(String host, int port, String authority, int seconds, int concurrency, int bytes) throws Exception {
        ManagedChannel ch = NettyChannelBuilder.forAddress(host, port).usePlaintext().overrideAuthority(authority)
                .disableRetry().build();
        try {
            Load warm = new Load(ch, new byte[bytes], concurrency, seconds);
            warm.run();
            Load load = new Load(ch, new byte[bytes], concurrency, seconds);
            load.run();
            System.out.println(load.report());
        } finally {
            ch.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** CONCURRENCY calls in flight: each one that ends starts the next until the time is up. */
    private static final class Load {
        private final ManagedChannel ch;
        private final byte[] payload;
        private final int concurrency;
        private final long endNanos;
        private final long startNanos = System.nanoTime();
        private final long[] latencies = new long[4_000_000];
        private final AtomicLong done = new AtomicLong();
        private final AtomicLong errors = new AtomicLong();
        private final CountDownLatch finished;
        private volatile long lastEnd;

        Load(ManagedChannel ch, byte[] payload, int concurrency, int seconds) {
            this.ch = ch;
            this.payload = payload;
            this.concurrency = concurrency;
            this.endNanos = startNanos + TimeUnit.SECONDS.toNanos(seconds);
            this.finished = new CountDownLatch(concurrency);
        }

        void run() throws InterruptedException {
            for (int i = 0; i < concurrency; i++) next();
            finished.await();
        }

        private void next() {
            long start = System.nanoTime();
            if (start >= endNanos) {
                finished.countDown();
                return;
            }
            ClientCall<byte[], byte[]> call = ch.newCall(SAY, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS));
            call.start(new ClientCall.Listener<>() {
                @Override
                public void onClose(Status status, Metadata trailers) {
                    long end = System.nanoTime();
                    if (status.isOk()) {
                        long n = done.getAndIncrement();
                        if (n < latencies.length) latencies[(int) n] = end - start;
                    } else {
                        errors.incrementAndGet();
                    }
                    lastEnd = end;
                    next();
                }
            }, new Metadata());
            call.request(1);
            call.sendMessage(payload);
            call.halfClose();
        }

        String report() {
            int n = (int) Math.min(done.get(), latencies.length);
            long[] sorted = Arrays.copyOf(latencies, n);
            Arrays.sort(sorted);
            double seconds = (lastEnd - startNanos) / 1e9;
            return String.format(Locale.ROOT, "%.0f %.3f %.3f %d", done.get() / seconds,
                    n == 0 ? 0 : sorted[(int) (n * 0.50)] / 1e6, n == 0 ? 0 : sorted[Math.min(n - 1, (int) (n * 0.99))] / 1e6,
                    errors.get());
        }
    }
}
