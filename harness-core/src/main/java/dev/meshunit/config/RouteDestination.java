package dev.meshunit.config;

/** A weighted destination of a TCP or TLS route. */
public record RouteDestination(Destination destination, Integer weight) {}
