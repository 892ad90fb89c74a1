package dev.meshunit.config.load.internal;

import dev.meshunit.config.Metadata;
import dev.meshunit.config.ServiceEntry;
import dev.meshunit.config.ServicePort;
import dev.meshunit.config.WorkloadEntry;
import dev.meshunit.config.WorkloadEntrySpec;

/** ServiceEntry and WorkloadEntry spec → records. */
final class ServiceEntryBinder {
    private ServiceEntryBinder() {}

    static ServiceEntry bind(Metadata metadata, Fields f) {
        return new ServiceEntry(metadata, f.strings("hosts"), f.strings("addresses"), f.list("ports", ServiceEntryBinder::port),
                f.enumValue("location", ServiceEntry.Location.class), f.enumValue("resolution", ServiceEntry.Resolution.class),
                f.list("endpoints", ServiceEntryBinder::endpoint), f.object("workloadSelector", w -> w.stringMap("labels")),
                f.strings("exportTo"), f.strings("subjectAltNames"));
    }

    static WorkloadEntry bindWorkloadEntry(Metadata metadata, Fields f) {
        return new WorkloadEntry(metadata, endpoint(f));
    }

    private static ServicePort port(Fields f) {
        Integer number = f.integer("number");
        return new ServicePort(number == null ? 0 : number, f.string("protocol"), f.string("name"), f.integer("targetPort"));
    }

    private static WorkloadEntrySpec endpoint(Fields f) {
        return new WorkloadEntrySpec(f.string("address"), f.intMap("ports"), f.stringMap("labels"), f.string("network"),
                f.string("locality"), f.integer("weight"), f.string("serviceAccount"));
    }
}
