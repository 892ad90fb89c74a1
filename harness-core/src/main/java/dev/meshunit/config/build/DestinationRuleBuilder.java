package dev.meshunit.config.build;

import dev.meshunit.config.DestinationRule;
import dev.meshunit.config.Metadata;
import dev.meshunit.config.Subset;
import dev.meshunit.config.TrafficPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Subsets and traffic policy of a DestinationRule. */
public final class DestinationRuleBuilder {
    private final List<Subset> subsets = new ArrayList<>();
    private TrafficPolicy trafficPolicy;

    DestinationRuleBuilder() {}

    /** A subset selecting endpoints labelled {@code labelKey=labelValue}. */
    public DestinationRuleBuilder subset(String name, String labelKey, String labelValue) {
        return subset(name, Map.of(labelKey, labelValue));
    }

    public DestinationRuleBuilder subset(String name, Map<String, String> labels) {
        subsets.add(new Subset(name, labels, null));
        return this;
    }

    /** A subset with a policy of its own, which overrides the rule's policy block by block. */
    public DestinationRuleBuilder subset(String name, Map<String, String> labels, Consumer<TrafficPolicyBuilder> policy) {
        subsets.add(new Subset(name, labels, TrafficPolicyBuilder.build(policy)));
        return this;
    }

    public DestinationRuleBuilder trafficPolicy(Consumer<TrafficPolicyBuilder> policy) {
        trafficPolicy = TrafficPolicyBuilder.build(policy);
        return this;
    }

    DestinationRule build(Metadata metadata, String host) {
        return new DestinationRule(metadata, host, trafficPolicy, subsets, null, null);
    }
}
