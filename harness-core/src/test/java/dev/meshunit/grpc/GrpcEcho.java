package dev.meshunit.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A grpc-java server on 127.0.0.1 with methods {@code test.Echo/Say}, {@code test.Echo/Shout} and
 * {@code test.Other/Say}: each answers its server's name, or first fails with the statuses queued in
 * {@link #failNext}; every answer has the trailer {@code x-served-by: NAME}. Keeps the {@code :authority} and method of every call it got.
 */
final class GrpcEcho implements AutoCloseable {
    static final MethodDescriptor<byte[], byte[]> SAY = GrpcDownstreamTest.ECHO;
    static final MethodDescriptor<byte[], byte[]> SHOUT = SAY.toBuilder().setFullMethodName("test.Echo/Shout").build();
    static final MethodDescriptor<byte[], byte[]> OTHER = SAY.toBuilder().setFullMethodName("test.Other/Say").build();

    /** A trailer of every answer: the server's name. */
    static final Metadata.Key<String> SERVED_BY = Metadata.Key.of("x-served-by", Metadata.ASCII_STRING_MARSHALLER);

    final String name;
    final AtomicInteger calls = new AtomicInteger();
    final List<String> authorities = new CopyOnWriteArrayList<>();
    final List<String> methods = new CopyOnWriteArrayList<>();
    final Queue<Status> failNext = new ConcurrentLinkedQueue<>();
    private final Server server;

    GrpcEcho(String name) {
        this.name = name;
        ServerCalls.UnaryMethod<byte[], byte[]> answer = (req, out) -> {
            calls.incrementAndGet();
            Status failure = failNext.poll();
            if (failure != null) {
                out.onError(failure.asRuntimeException());
                return;
            }
            out.onNext(name.getBytes(StandardCharsets.UTF_8));
            out.onCompleted();
        };
        ServerServiceDefinition echo = ServerServiceDefinition.builder("test.Echo")
                .addMethod(SAY, ServerCalls.asyncUnaryCall(answer))
                .addMethod(SHOUT, ServerCalls.asyncUnaryCall(answer)).build();
        ServerServiceDefinition other = ServerServiceDefinition.builder("test.Other")
                .addMethod(OTHER, ServerCalls.asyncUnaryCall(answer)).build();
        ServerInterceptor record = new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                              ServerCallHandler<Q, A> next) {
                authorities.add(call.getAuthority());
                methods.add(call.getMethodDescriptor().getFullMethodName());
                return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                    @Override
                    public void close(Status status, Metadata trailers) {
                        trailers.put(SERVED_BY, name);
                        super.close(status, trailers);
                    }
                }, headers);
            }
        };
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(ServerInterceptors.intercept(echo, record))
                    .addService(ServerInterceptors.intercept(other, record)).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getPort();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
}
