package dev.meshunit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshunit.cli.Main;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.ConfigLoader;
import dev.meshunit.route.DecisionChange;
import dev.meshunit.route.RouteRequests;
import dev.meshunit.route.RoutingDiff;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Istio's Bookinfo moving from the 80/20 traffic shift to "jason to v2, everyone else to v3", checked with
 * {@code meshunit diff} and with the Java API, on Istio's sample files unchanged.
 */
class BookinfoRoutingDiffTest {
    static final Path HERE = Path.of("src/test/resources/routing-diff");
    Path networking;

    @BeforeEach
    void samples() {
        Path samples = Bookinfo.samples();
        Assumptions.assumeTrue(samples != null, "../shared/istio-samples is absent");
        networking = samples.resolve("bookinfo/networking");
    }

    String[] diff(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("diff",
                "--before", HERE.resolve("services.yaml").toString(),
                "--before", networking.resolve("destination-rule-all.yaml").toString(),
                "--before", networking.resolve("virtual-service-reviews-80-20.yaml").toString(),
                "--after", HERE.resolve("services.yaml").toString(),
                "--after", networking.resolve("destination-rule-all.yaml").toString(),
                "--after", networking.resolve("virtual-service-reviews-jason-v2-v3.yaml").toString(),
                "--requests", HERE.resolve("requests.txt").toString()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    static String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {Integer.toString(exit), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void commandPrintsTheChangedDecisionsAndFails() {
        String[] r = run(diff());

        assertThat(r[2]).isEmpty();
        assertThat(r[1]).isEqualTo("""
                GET http://reviews:9080/reviews/0
                  route        reviews/http[0] -> reviews/http[1]
                  destination  v1 80% / v2 20% -> reviews.default.svc.cluster.local:9080 v3  (destination change, 100% of requests move)

                GET http://reviews:9080/reviews/0 -H end-user:jason
                  destination  v1 80% / v2 20% -> reviews.default.svc.cluster.local:9080 v2  (destination change, 80% of requests move)

                GET http://reviews:9080/reviews/0 -H end-user:jane
                  route        reviews/http[0] -> reviews/http[1]
                  destination  v1 80% / v2 20% -> reviews.default.svc.cluster.local:9080 v3  (destination change, 100% of requests move)

                5 requests, 3 decisions changed (0 allowed, 3 unexpected)
                """);
        assertThat(r[0]).as("exit code").isEqualTo("1");
    }

    @Test
    void declaredExpectationsMakeItPass() {
        String[] allowed = run(diff("--allow", "reviews:route", "--allow", "reviews:destination"));
        assertThat(allowed[0]).isEqualTo("0");
        assertThat(allowed[1]).endsWith("5 requests, 3 decisions changed (3 allowed, 0 unexpected)\n");

        String[] routeOnly = run(diff("--allow", "reviews:route"));
        assertThat(routeOnly[0]).as("a destination change is not covered by route").isEqualTo("1");
    }

    /** The output chaos-scenarios/README.md shows. */
    @Test
    void routePrintsOneDecision() {
        String[] r = run("route", "--config", HERE.resolve("services.yaml").toString(),
                "--config", networking.resolve("destination-rule-all.yaml").toString(),
                "--config", networking.resolve("virtual-service-reviews-jason-v2-v3.yaml").toString(),
                "--request", "GET http://reviews:9080/reviews/0 -H end-user:jason");
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).isEqualTo("""
                  request      GET http://reviews:9080/reviews/0 -H end-user:jason
                  route        reviews/http[0]
                  destination  reviews.default.svc.cluster.local:9080 v2 (1 endpoints)
                  path         /reviews/0
                  fault        none
                  timeout      none
                  retries      2 on cancelled,connect-failure,refused-stream,retriable-status-codes,unavailable
                  mirrors      none
                """);
    }

    /** The same diff from a test, with the config loaded as the command loads it. */
    @Test
    void javaApi() {
        IstioConfig before = ConfigLoader.create().load(HERE.resolve("services.yaml"),
                networking.resolve("destination-rule-all.yaml"), networking.resolve("virtual-service-reviews-80-20.yaml")).orThrow();
        IstioConfig after = ConfigLoader.create().load(HERE.resolve("services.yaml"),
                networking.resolve("destination-rule-all.yaml"), networking.resolve("virtual-service-reviews-jason-v2-v3.yaml")).orThrow();

        RoutingDiff.Result result = RoutingDiff.between(before, after).allow("reviews")
                .run(RouteRequests.read(HERE.resolve("requests.txt")));

        assertThat(result.hasUnexpected()).isFalse();
        assertThat(result.changes()).extracting(c -> c.after().destinations().get(0).subset()).containsExactly("v3", "v2", "v3");
        assertThat(result.changes()).noneMatch(DecisionChange::distributionChange);
    }
}
