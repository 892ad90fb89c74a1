package dev.meshunit.http2;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;

/** OkHttp speaking h2c with prior knowledge, as a user's HTTP/2 client would; closes its threads and connections. */
final class H2Clients implements AutoCloseable {
    final OkHttpClient client;
    private final int port;

    H2Clients(int port) {
        this.port = port;
        this.client = new OkHttpClient.Builder()
                .protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE))
                .retryOnConnectionFailure(false)
                .callTimeout(20, TimeUnit.SECONDS)
                .build();
    }

    /** A request to the proxy whose {@code :authority} is {@code authority} (OkHttp sends Host as :authority). */
    Request.Builder to(String authority, String path) {
        return new Request.Builder().url("http://127.0.0.1:" + port + path).header("Host", authority);
    }

    record Answer(int status, String body, Protocol protocol, String header) {}

    Answer get(String authority, String path) {
        return call(to(authority, path).build(), "x-backend");
    }

    Answer call(Request request, String header) {
        try (Response r = client.newCall(request).execute()) {
            return new Answer(r.code(), r.body().string(), r.protocol(), r.header(header));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
