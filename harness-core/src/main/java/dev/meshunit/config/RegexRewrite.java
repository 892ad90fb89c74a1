package dev.meshunit.config;

/** RE2 pattern and its replacement, with {@code \1}-style capture references. */
public record RegexRewrite(String match, String rewrite) {}
