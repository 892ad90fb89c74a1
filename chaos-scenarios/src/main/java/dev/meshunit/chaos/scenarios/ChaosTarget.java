package dev.meshunit.chaos.scenarios;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Where a scenario's steps go: a running MeshUnit's admin API and, for toxics, its Toxiproxy API. */
public interface ChaosTarget {
    /** Makes the step's call; an answer other than 2xx throws, with the answer. */
    void call(Step step);

    /** Waits for the step's hold; a test may override it to check what the step did while it holds. */
    default void hold(Step step) {
        try {
            Thread.sleep(step.hold().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + step.name(), e);
        }
    }

    /** {@code toxiproxy} may be null for scenarios without toxics. */
    static ChaosTarget http(URI admin, URI toxiproxy) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return step -> {
            URI base = step.api() == Step.Api.ADMIN ? admin : toxiproxy;
            if (base == null) throw new IllegalStateException(step.name() + " needs the Toxiproxy API (meshunit proxy --toxiproxy-port)");
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(step.path())).timeout(Duration.ofSeconds(10))
                    .method(step.method(), step.body() == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(step.body()));
            if (step.body() != null) b.header("Content-Type", "application/json");
            try {
                HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() / 100 != 2) {
                    throw new IllegalStateException(step.name() + ": " + step.method() + " " + step.path() + " answered "
                            + r.statusCode() + " " + r.body());
                }
            } catch (IOException e) {
                throw new IllegalStateException(step.name() + ": " + base + step.path() + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        };
    }
}
