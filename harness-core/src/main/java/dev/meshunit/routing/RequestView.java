package dev.meshunit.routing;

import java.util.List;

/** What route matching reads of a request; implemented over Netty's request by the connection manager. */
public interface RequestView {
    String method();

    String scheme();

    /** The path without the query string. */
    String path();

    /** Decoded values of a query parameter, empty when absent. */
    List<String> queryParam(String name);

    /** The first value of a header (name is lower-case), or null. */
    String header(String name);

    /** Host and port as addressed ({@code reviews:9080}). */
    String authority();

    /** The port the request addressed (from its authority, or the scheme's default). */
    int port();

    /**
     * A digest of the whole request body, once the proxy has read it; null before that, or when the body was
     * larger than the proxy keeps. Only faults keyed on the body wait for it.
     */
    default String bodyDigest() {
        return null;
    }
}
