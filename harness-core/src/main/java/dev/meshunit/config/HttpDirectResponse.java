package dev.meshunit.config;

/** A fixed answer; the body is either a string or base64 bytes, as in Istio. */
public record HttpDirectResponse(int status, String bodyString, String bodyBytes) {}
