package dev.meshunit.junit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

/** A client under test: retries a 5xx up to {@code maxRetries} times, {@code backoff} apart. */
final class RetryingClient {
    private final HttpClient http;
    private final int maxRetries;
    private final Duration backoff;

    RetryingClient(HttpClient http, int maxRetries, Duration backoff) {
        this.http = http;
        this.maxRetries = maxRetries;
        this.backoff = backoff;
    }

    HttpResponse<String> get(String url) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url)).build(), BodyHandlers.ofString());
        for (int retry = 1; retry <= maxRetries && answer.statusCode() >= 500; retry++) {
            Thread.sleep(backoff.toMillis());
            answer = http.send(HttpRequest.newBuilder(URI.create(url)).build(), BodyHandlers.ofString());
        }
        return answer;
    }
}
