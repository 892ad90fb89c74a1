package dev.meshunit.config;

/** A standalone WorkloadEntry, selected by a ServiceEntry's workloadSelector. */
public record WorkloadEntry(Metadata metadata, WorkloadEntrySpec spec) {}
