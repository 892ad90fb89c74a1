package dev.meshunit.chaos.scenarios;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The scenario library. HTTP scenarios act on a service ({@code host}) through MeshUnit's run-time faults; TCP
 * scenarios act on a toxic proxy ({@code proxy}, a name on the Toxiproxy API). As a JUnit 5 source, one test per
 * scenario: {@code @ParameterizedTest @MethodSource("dev.meshunit.chaos.scenarios.Scenarios#all")}.
 */
public final class Scenarios {
    private Scenarios() {}

    public static List<Scenario> all() {
        return List.of(slowDependency(), failingDependency(), flapping(), brownOutRamp(), partition(),
                bandwidthStarvation(), poolExhaustion(), retryStorm());
    }

    /** @throws IllegalArgumentException naming the scenarios there are */
    public static Scenario named(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "no scenario '" + name + "' (scenarios: " + String.join(", ", all().stream().map(Scenario::name).toList()) + ")"));
    }

    private static List<Step> clearFaults(Params p) {
        return List.of(Step.clearFaults("remove-faults", Duration.ZERO));
    }

    static Scenario slowDependency() {
        return new Scenario("slow-dependency", "Every request to host waits delay before it goes on, for duration",
                Map.of("host", "ratings", "delay", "2s", "duration", "30s", "percentage", "100"),
                p -> List.of(Step.fault("slow-" + p.text("host"), "{\"host\":\"" + p.text("host") + "\",\"delay\":\""
                        + p.format(p.duration("delay")) + "\",\"percentage\":" + p.number("percentage", 0, 100) + "}", p.duration("duration"))),
                Scenarios::clearFaults);
    }

    static Scenario failingDependency() {
        return new Scenario("failing-dependency", "Requests to host are answered status by MeshUnit (flag FI), for duration",
                Map.of("host", "ratings", "status", "503", "duration", "30s", "percentage", "100"),
                p -> List.of(Step.fault("fail-" + p.text("host"), abort(p, p.number("percentage", 0, 100)), p.duration("duration"))),
                Scenarios::clearFaults);
    }

    static Scenario flapping() {
        return new Scenario("flapping", "host fails for period, recovers for period, cycles times",
                Map.of("host", "ratings", "status", "503", "period", "5s", "cycles", "3"),
                p -> {
                    List<Step> steps = new ArrayList<>();
                    for (int i = 1; i <= p.integer("cycles", 1, 1000); i++) {
                        steps.add(Step.fault("down-" + i, abort(p, 100), p.duration("period")));
                        steps.add(Step.clearFaults("up-" + i, p.duration("period")));
                    }
                    return steps;
                },
                Scenarios::clearFaults);
    }

    static Scenario brownOutRamp() {
        return new Scenario("brown-out-ramp", "A growing share of requests to host fail: each of steps (percentages) for step",
                Map.of("host", "ratings", "status", "503", "steps", "10,25,50,100", "step", "10s"),
                p -> {
                    List<Step> steps = new ArrayList<>();
                    for (String pct : p.text("steps").split(",")) {
                        double share;
                        try {
                            share = Double.parseDouble(pct.strip());
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("scenario brown-out-ramp: steps must be percentages such as 10,25,50, was '" + p.text("steps") + "'");
                        }
                        steps.add(Step.clearFaults("ramp-" + pct.strip() + "-reset", Duration.ZERO));
                        steps.add(Step.fault("ramp-" + pct.strip(), abort(p, share), p.duration("step")));
                    }
                    return steps;
                },
                Scenarios::clearFaults);
    }

    static Scenario partition() {
        return new Scenario("partition", "The TCP proxy cuts its connections: mode reset (RST at once) or timeout "
                + "(data stops, closed after a timeout), both directions, for duration",
                Map.of("proxy", "redis", "mode", "reset", "duration", "30s"),
                p -> {
                    String mode = p.text("mode");
                    String toxic = switch (mode) {
                        case "reset" -> "{\"name\":\"partition-%s\",\"type\":\"reset_peer\",\"stream\":\"%s\",\"attributes\":{\"timeout\":0}}";
                        case "timeout" -> "{\"name\":\"partition-%s\",\"type\":\"timeout\",\"stream\":\"%s\",\"attributes\":{\"timeout\":0}}";
                        default -> throw new IllegalArgumentException("scenario partition: mode must be reset or timeout, was '" + mode + "'");
                    };
                    return List.of(Step.toxic("partition-down", p.text("proxy"), toxic.formatted("down", "downstream"), Duration.ZERO),
                            Step.toxic("partition-up", p.text("proxy"), toxic.formatted("up", "upstream"), p.duration("duration")));
                },
                p -> List.of(Step.removeToxic("heal-down", p.text("proxy"), "partition-down", Duration.ZERO),
                        Step.removeToxic("heal-up", p.text("proxy"), "partition-up", Duration.ZERO)));
    }

    static Scenario bandwidthStarvation() {
        return new Scenario("bandwidth-starvation", "The TCP proxy passes at most rate KB/s towards the client, for duration",
                Map.of("proxy", "redis", "rate", "1", "duration", "30s"),
                p -> List.of(Step.toxic("starve", p.text("proxy"), "{\"name\":\"starve\",\"type\":\"bandwidth\",\"stream\":\"downstream\","
                        + "\"attributes\":{\"rate\":" + p.integer("rate", 0, 1_000_000) + "}}", p.duration("duration"))),
                p -> List.of(Step.removeToxic("unstarve", p.text("proxy"), "starve", Duration.ZERO)));
    }

    static Scenario poolExhaustion() {
        return new Scenario("pool-exhaustion", "Every request to host is held for hold before it goes on, so that the "
                + "caller's connections and threads fill up; for duration",
                Map.of("host", "ratings", "hold", "10s", "duration", "30s"),
                p -> List.of(Step.fault("hold-" + p.text("host"), "{\"host\":\"" + p.text("host") + "\",\"delay\":\""
                        + p.format(p.duration("hold")) + "\"}", p.duration("duration"))),
                Scenarios::clearFaults);
    }

    static Scenario retryStorm() {
        return new Scenario("retry-storm", "percentage of requests to host fail with status, so that callers' retries "
                + "multiply the load (see the report's attempts per request); for duration",
                Map.of("host", "ratings", "status", "503", "percentage", "50", "duration", "30s"),
                p -> List.of(Step.fault("storm-" + p.text("host"), abort(p, p.number("percentage", 0, 100)), p.duration("duration"))),
                Scenarios::clearFaults);
    }

    private static String abort(Params p, double percentage) {
        return "{\"host\":\"" + p.text("host") + "\",\"abort\":" + p.integer("status", 200, 599)
                + (percentage < 100 ? ",\"percentage\":" + percentage : "") + "}";
    }
}
