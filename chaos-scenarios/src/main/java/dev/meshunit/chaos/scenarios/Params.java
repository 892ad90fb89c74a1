package dev.meshunit.chaos.scenarios;

import dev.meshunit.config.load.internal.Durations;
import java.time.Duration;
import java.util.Map;

/** A scenario's parameter values, read with the type each one has; a bad value names the scenario and parameter. */
final class Params {
    private final String scenario;
    private final Map<String, String> values;

    Params(String scenario, Map<String, String> values) {
        this.scenario = scenario;
        this.values = values;
    }

    String text(String name) {
        return values.get(name);
    }

    Duration duration(String name) {
        try {
            Duration d = Durations.parse(values.get(name));
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("must be more than 0");
            return d;
        } catch (IllegalArgumentException e) {
            throw bad(name, "a duration such as 30s or 500ms");
        }
    }

    int integer(String name, int min, int max) {
        try {
            int n = Integer.parseInt(values.get(name));
            if (n < min || n > max) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw bad(name, "a whole number " + min + "-" + max);
        }
    }

    double number(String name, double min, double max) {
        try {
            double n = Double.parseDouble(values.get(name));
            if (!(n >= min && n <= max)) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw bad(name, "a number " + min + "-" + max);
        }
    }

    String format(Duration d) {
        return Durations.format(d);
    }

    private IllegalArgumentException bad(String name, String allowed) {
        return new IllegalArgumentException("scenario " + scenario + ": " + name + " must be " + allowed + ", was '" + values.get(name) + "'");
    }
}
