package dev.meshunit.config;

/** A redirect answered by the proxy itself; redirectCode defaults to 301. */
public record HttpRedirect(
        String uri, String prefixRewrite, String authority, Integer port, String derivePort, String scheme,
        Integer redirectCode) {

    public int code() {
        return redirectCode == null || redirectCode == 0 ? 301 : redirectCode;
    }
}
