package dev.meshunit.examples;

import com.sun.net.httpserver.HttpServer;
import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.journal.Exchange;
import dev.meshunit.journal.ResponseFlag;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo: Bookinfo's reviews and ratings as in-process backends, Istio's routing, shifting and fault tasks
 * as YAML, a JDK HttpClient sending {@code http://reviews:9080/...} through the proxy, and the journal
 * printed at the end. Run it with {@code mvn -B -q -pl examples -am test-compile exec:java}.
 */
public final class BookinfoDemo {
    private BookinfoDemo() {}

    public static void main(String[] args) throws Exception {
        List<HttpServer> backends = new ArrayList<>();
        Map<String, String> ports = new HashMap<>();
        try {
            for (String name : List.of("reviews-v1", "reviews-v2", "reviews-v3", "ratings-v1")) {
                HttpServer s = backend(name);
                backends.add(s);
                ports.put(name, Integer.toString(s.getAddress().getPort()));
            }
            IstioConfig config = ConfigLoader.create().withPlaceholders(ports::get)
                    .loadResources("bookinfo/bookinfo.yaml").orThrow();
            run(config);
        } finally {
            backends.forEach(s -> s.stop(0));
        }
    }

    private static void run(IstioConfig config) throws IOException, InterruptedException {
        try (MeshProxy proxy = MeshProxy.builder().config(config).seed(2026).start()) {
            HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(proxy.address())).build();
            System.out.println("MeshUnit proxy on " + proxy.address() + ", seed " + proxy.seed());
            for (int i = 0; i < 100; i++) call(client, "http://reviews:9080/reviews/" + i, null);
            for (int i = 0; i < 5; i++) call(client, "http://reviews:9080/reviews/" + i, "jason");
            call(client, "http://ratings:9080/ratings/0", "jason");
            call(client, "http://ratings:9080/ratings/0", "alice");
            call(client, "http://details:9080/details/0", null);
            report(proxy.journal().exchanges());
        }
    }

    private static void call(HttpClient client, String uri, String user) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri));
        if (user != null) b.header("end-user", user);
        client.send(b.build(), HttpResponse.BodyHandlers.discarding());
    }

    private static void report(List<Exchange> exchanges) {
        Map<String, Integer> byRoute = new TreeMap<>();
        for (Exchange e : exchanges) {
            String key = String.format("%-22s %-12s %-6s %s", e.authority(),
                    e.route() == null ? "-" : e.route().name(),
                    e.subset() == null ? "-" : e.subset(),
                    e.status() + " " + ResponseFlag.render(e.flags()));
            byRoute.merge(key, 1, Integer::sum);
        }
        System.out.printf("%-22s %-12s %-6s %-17s %s%n", "authority", "route", "subset", "status", "count");
        byRoute.forEach((k, v) -> System.out.printf("%s %5d%n", padRight(k, 59), v));
        System.out.println(exchanges.size() + " exchanges recorded; the same seed gives the same table.");
    }

    private static String padRight(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static HttpServer backend(String name) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        s.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            byte[] body = ("{\"served-by\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("content-type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        s.start();
        return s;
    }
}
