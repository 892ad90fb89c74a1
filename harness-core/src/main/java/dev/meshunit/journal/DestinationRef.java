package dev.meshunit.journal;

/** The cluster a request was sent to: service host (FQDN), subset (null for all endpoints) and port. */
public record DestinationRef(String host, String subset, int port) {}
