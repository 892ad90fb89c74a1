package dev.meshunit.internal.routing;

import dev.meshunit.config.HttpRedirect;
import java.util.List;
import java.util.random.RandomGenerator;

/** What a matched rule does: forward to weighted destinations, redirect, or answer directly. */
public sealed interface RouteAction {

    /** Forward to one of the destinations, picked per request by relative weight. */
    record Forward(List<WeightedDestination> destinations) implements RouteAction {
        public Forward {
            // With more than one destination, a weight of 0 takes the destination out of the split.
            List<WeightedDestination> live = destinations.size() == 1
                    ? destinations
                    : destinations.stream().filter(d -> d.weight() > 0).toList();
            destinations = List.copyOf(live.isEmpty() ? destinations : live);
        }

        public WeightedDestination pick(RandomGenerator random) {
            if (destinations.size() == 1) return destinations.get(0);
            int total = 0;
            for (WeightedDestination d : destinations) total += d.weight();
            int r = random.nextInt(total);
            for (WeightedDestination d : destinations) {
                r -= d.weight();
                if (r < 0) return d;
            }
            return destinations.get(destinations.size() - 1);
        }
    }

    record Redirect(HttpRedirect redirect) implements RouteAction {}

    record DirectResponse(int status, byte[] body) implements RouteAction {}
}
