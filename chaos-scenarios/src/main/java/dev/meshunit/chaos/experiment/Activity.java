package dev.meshunit.chaos.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One probe or action of a Chaos Toolkit experiment, references resolved: its provider ({@code http} or
 * {@code process}), the tolerance of a hypothesis probe (else null), pauses in seconds before and after, and
 * whether it runs in the background. {@code raw} is the activity as written, for the journal.
 */
public record Activity(String type, String name, JsonNode provider, JsonNode tolerance, double pauseBefore,
        double pauseAfter, boolean background, ObjectNode raw) {

    public boolean isAction() {
        return type.equals("action");
    }

    public String providerType() {
        return provider.path("type").asText();
    }
}
