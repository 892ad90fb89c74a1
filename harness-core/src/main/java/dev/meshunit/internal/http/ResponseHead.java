package dev.meshunit.internal.http;

/** A final response head: status and headers (changed in place by the filters on its way downstream). */
public record ResponseHead(int status, HeaderMap headers) {}
