package dev.meshunit.mirror;

/** A mirrored request that could not be compared, and why (shadow never sent, primary answer not recorded). */
public record Skipped(long primaryId, String reason) {}
