package dev.meshunit.config;

/** One weighted destination of a route; headers apply only when this destination is picked. */
public record HttpRouteDestination(Destination destination, Integer weight, Headers headers) {
    public HttpRouteDestination {
        headers = headers == null ? Headers.NONE : headers;
    }
}
