package dev.meshunit.cli;

import static dev.meshunit.cli.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code meshunit route} and {@code meshunit diff}: output, and the exit codes scripts rely on. */
class RouteDiffCommandTest {
    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String reviews(int v1, int v2) {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  resolution: STATIC
                  ports: [{number: 9080, name: http, protocol: HTTP}]
                  endpoints:
                  - {address: 127.0.0.1, ports: {http: 1}, labels: {version: v1}}
                  - {address: 127.0.0.1, ports: {http: 2}, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews}
                spec:
                  host: reviews
                  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - match: [{headers: {end-user: {exact: jason}}}]
                    route: [{destination: {host: reviews, subset: v2}}]
                  - route:
                    - {destination: {host: reviews, subset: v1}, weight: %d}
                    - {destination: {host: reviews, subset: v2}, weight: %d}
                """.formatted(v1, v2);
    }

    @Test
    void routePrintsTheDecision() {
        Path config = write(dir, "reviews.yaml", reviews(80, 20));
        Result r = run("route", "--config", config.toString(), "--request", "GET http://reviews:9080/x -H end-user:jason",
                "--request", "http://reviews:9080/y");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains(
                "  request      GET http://reviews:9080/x -H end-user:jason\n  route        reviews/http[0]\n"
                        + "  destination  reviews.default.svc.cluster.local:9080 v2 (1 endpoints)\n",
                "  destination  reviews.default.svc.cluster.local:9080 v1 80% (1 endpoints)\n"
                        + "  destination  reviews.default.svc.cluster.local:9080 v2 20% (1 endpoints)\n",
                "  retries      2 on cancelled,connect-failure,refused-stream,retriable-status-codes,unavailable\n");
    }

    @Test
    void retryDefaultsAreTheProxys() {
        Path config = write(dir, "reviews.yaml", reviews(80, 20));
        Result old = run("route", "--config", config.toString(), "--request", "GET http://reviews:9080/", "--retry-defaults", "istio-1.23");
        assertThat(old.out()).contains("  retries      2 on 503,cancelled,connect-failure,refused-stream,retriable-status-codes,unavailable\n");
        Result none = run("route", "--config", config.toString(), "--request", "GET http://reviews:9080/", "--retry-defaults=none");
        assertThat(none.out()).contains("  retries      none\n");
        Path requests = write(dir, "one.txt", "GET http://reviews:9080/\n");
        Result diff = run("diff", "--before", config.toString(), "--after", config.toString(), "--requests", requests.toString(),
                "--retry-defaults", "istio-1.22");
        assertThat(diff.exit()).isEqualTo(2);
        assertThat(diff.err()).contains("--retry-defaults must be istio-1.24, istio-1.23 or none, was 'istio-1.22'");
    }

    @Test
    void diffOfASplitChangeExitsOneUnlessAllowed() {
        Path before = write(dir, "before.yaml", reviews(80, 20));
        Path after = write(dir, "after.yaml", reviews(50, 50));
        Path requests = write(dir, "requests.txt", """
                # one request per rule
                GET http://reviews:9080/reviews/1 -H end-user:jason
                GET http://reviews:9080/reviews/1
                """);

        Result changed = run("diff", "--before", before.toString(), "--after", after.toString(), "--requests", requests.toString());
        assertThat(changed.exit()).isEqualTo(1);
        assertThat(changed.out()).isEqualTo("""
                GET http://reviews:9080/reviews/1
                  destination  v1 80% / v2 20% -> v1 50% / v2 50%  (distribution change, 30% of requests move)

                2 requests, 1 decision changed (0 allowed, 1 unexpected)
                """);

        Result allowed = run("diff", "--before", before.toString(), "--after", after.toString(), "--requests",
                requests.toString(), "--allow", "reviews:destination");
        assertThat(allowed.exit()).isZero();
        assertThat(allowed.out()).contains("GET http://reviews:9080/reviews/1  (allowed)", "(1 allowed, 0 unexpected)");

        Result same = run("diff", "--before", before.toString(), "--after", before.toString(), "--requests", requests.toString());
        assertThat(same.exit()).isZero();
        assertThat(same.out()).isEqualTo("2 requests, 0 decisions changed\n");
    }

    /** The requests of an earlier run, exported as the admin API's GET /journal does, replayed through both configs. */
    @Test
    void diffReplaysAnExportedJournal() throws Exception {
        com.sun.net.httpserver.HttpServer backend = Fixtures.backend("b");
        int port = backend.getAddress().getPort();
        String before = reviews(80, 20).replace("http: 1}", "http: " + port + "}").replace("http: 2}", "http: " + port + "}");
        Path journal = dir.resolve("journal.json");
        try (dev.meshunit.MeshProxy proxy = dev.meshunit.MeshProxy.builder()
                .config(dev.meshunit.config.load.ConfigLoader.create().loadString("before.yaml", before).orThrow()).start()) {
            var client = java.net.http.HttpClient.newBuilder().proxy(java.net.ProxySelector.of(proxy.address())).build();
            for (String[] r : new String[][] {{"/reviews/1?page=2", "jane"}, {"/reviews/2", "jason"}, {"/reviews/3", null}}) {
                var b = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://reviews:9080" + r[0]));
                if (r[1] != null) b.header("end-user", r[1]);
                client.send(b.build(), java.net.http.HttpResponse.BodyHandlers.discarding());
            }
            java.nio.file.Files.writeString(journal, dev.meshunit.journal.JournalJson.toJson(proxy.journal().exchanges()));
        } finally {
            backend.stop(0);
        }
        Path after = write(dir, "after.yaml", reviews(50, 50));

        Result r = run("diff", "--before", write(dir, "before.yaml", reviews(80, 20)).toString(), "--after", after.toString(),
                "--requests", journal.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).containsPattern("GET http://reviews:9080/reviews/1\\?page=2 -H end-user:jane -H user-agent:Java-http-client/\\S+\n"
                + "  destination  v1 80% / v2 20% -> v1 50% / v2 50%  \\(distribution change, 30% of requests move\\)")
                .contains(
                "GET http://reviews:9080/reviews/3", "3 requests, 2 decisions changed (0 allowed, 2 unexpected)")
                .doesNotContain("/reviews/2");
    }

    @Test
    void badInputIsNamed() {
        Path config = write(dir, "reviews.yaml", reviews(80, 20));
        Path requests = write(dir, "requests.txt", "GET http://reviews:9080/\nreviews:9080/x\n");

        Result badLine = run("diff", "--before", config.toString(), "--after", config.toString(), "--requests", requests.toString());
        assertThat(badLine.exit()).isEqualTo(2);
        assertThat(badLine.err()).contains("requests.txt:2: request 'reviews:9080/x': expected a URL");

        Result badAllow = run("diff", "--before", config.toString(), "--after", config.toString(), "--request",
                "GET http://reviews:9080/", "--allow", "reviews:weights");
        assertThat(badAllow.exit()).isEqualTo(2);
        assertThat(badAllow.err()).contains("unknown aspect 'weights' (allowed: outcome, route, destination");

        Result noRequests = run("route", "--config", config.toString());
        assertThat(noRequests.exit()).isEqualTo(2);
        assertThat(noRequests.err()).contains("give requests with --request LINE or --requests FILE");

        Path broken = write(dir, "broken.yaml", reviews(80, 20).replace("subset: v2}}]", "subset: v9}}]"));
        Result invalid = run("diff", "--before", config.toString(), "--after", broken.toString(), "--request", "GET http://reviews:9080/");
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.err()).contains("broken.yaml:", "IST0101", "invalid config --after");
    }
}
