package dev.meshunit.config;

/** A route that hands over to another VirtualService (accepted, warned about, not acted on). */
public record Delegate(String name, String namespace) {}
