package dev.meshunit.config;

/** Rewrite of path and authority before the request is forwarded. */
public record HttpRewrite(String uri, RegexRewrite uriRegexRewrite, String authority) {}
