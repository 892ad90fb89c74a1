package dev.meshunit.chaos;

import java.util.Objects;

/**
 * A named toxic on one stream of a proxy. {@code toxicity} is the probability, drawn once per
 * connection and direction each time the chain changes, that the toxic applies.
 */
public record ToxicSpec(String name, Direction stream, float toxicity, Toxic toxic) {
    public ToxicSpec {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(toxic, "toxic");
        if (name == null || name.isEmpty()) {
            name = toxic.type() + "_" + stream.wireName();
        }
        if (!(toxicity >= 0f && toxicity <= 1f)) {
            throw ChaosException.badRequest("toxicity: must be between 0 and 1 (was " + toxicity + ")");
        }
    }

    /** A toxic that always applies, named {@code <type>_<stream>}. */
    public static ToxicSpec of(Direction stream, Toxic toxic) {
        return new ToxicSpec(null, stream, 1f, toxic);
    }

    public ToxicSpec withToxic(Toxic newToxic, float newToxicity) {
        return new ToxicSpec(name, stream, newToxicity, newToxic);
    }
}
