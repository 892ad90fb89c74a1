package dev.meshunit.config;

/** One entry of {@code mirrors}; an absent percentage mirrors everything. */
public record HttpMirrorPolicy(Destination destination, Double percentage) {}
