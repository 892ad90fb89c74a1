package dev.meshunit.junit.bench;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.junit.StubBackend;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.Map;

/**
 * How long 1,000 sequential keep-alive GETs take against a {@link StubBackend}, directly and through a
 * {@code MeshProxy} (the canary test of issue 11 that took 40 s with the JDK {@code HttpServer}). A main, not a
 * test; the command is in junit-extension/README.md ("Speed"): test-compile with the class path written out, then
 * {@code java -cp ... dev.meshunit.junit.bench.StubBackendBenchmark}.
 */
public final class StubBackendBenchmark {
    private static final int REQUESTS = 1_000;

    public static void main(String[] args) throws Exception {
        try (StubBackend stub = StubBackend.start("v1");
             MeshProxy proxy = MeshProxy.builder().config(ConfigLoader.create()
                     .withPlaceholders(Map.of("ratings.host", "127.0.0.1", "ratings.port", "" + stub.port())::get)
                     .loadResources("mesh/ratings/service.yaml").orThrow()).start()) {
            HttpClient direct = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpClient viaMesh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .proxy(ProxySelector.of(proxy.address())).build();
            System.out.printf("first %,d, cold JVM (class loading, JIT): direct %,d ms, through the proxy %,d ms%n", REQUESTS,
                    run(direct, stub.uri().resolve("/ratings/1")), run(viaMesh, URI.create("http://ratings:9080/ratings/1")));
            for (int round = 1; round <= 3; round++) {
                System.out.printf("round %d: direct %,d ms, through the proxy %,d ms for %,d keep-alive requests%n", round,
                        run(direct, stub.uri().resolve("/ratings/1")), run(viaMesh, URI.create("http://ratings:9080/ratings/1")),
                        REQUESTS);
            }
            System.out.println("requests the stub recorded: " + stub.requestCount());
        }
    }

    private static long run(HttpClient client, URI uri) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).build();
        long start = System.nanoTime();
        for (int i = 0; i < REQUESTS; i++) {
            if (client.send(request, BodyHandlers.discarding()).statusCode() != 200) throw new IllegalStateException("not 200");
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
