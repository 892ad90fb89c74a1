package dev.meshunit.assertj;

import dev.meshunit.journal.Attempt;
import dev.meshunit.journal.RecordedBody;
import java.util.Locale;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one attempt of an exchange: what the proxy sent upstream (target and headers after rewrites and
 * header mutation, with {@code x-envoy-attempt-count}) and, with {@code recordBodies}, the bodies' first bytes.
 */
public class AttemptAssert extends AbstractAssert<AttemptAssert, Attempt> {

    public AttemptAssert(Attempt actual) {
        super(actual, AttemptAssert.class);
    }

    public AttemptAssert hasStatus(int status) {
        return check(actual.status() == status ? null : String.format(Locale.ROOT, "expected status %d but was %d", status, actual.status()));
    }

    /** The first value of the header as this attempt sent it upstream. */
    public AttemptAssert hasUpstreamHeader(String name, String value) {
        return check(upstreamHeaderMismatch(actual, name, value));
    }

    public AttemptAssert doesNotHaveUpstreamHeader(String name) {
        return check(actual.upstreamHeader(name) == null ? null
                : "expected no upstream header " + name + " but it was " + actual.upstreamHeader(name));
    }

    /** The request target as sent upstream (after a rewrite), query included. */
    public AttemptAssert hasUpstreamPath(String path) {
        return check(Objects.equals(actual.upstreamPath(), path) ? null
                : "expected upstream path " + path + " but it was " + actual.upstreamPath());
    }

    /** The authority as sent upstream (its {@code host} header, after an authority rewrite). */
    public AttemptAssert hasUpstreamAuthority(String authority) {
        return hasUpstreamHeader("host", authority);
    }

    /** The recorded request body's value at a JSON path ({@code $.a.b[0]}) or JSON Pointer ({@code /a/b/0}). */
    public AttemptAssert hasRequestBodyJson(String path, Object expected) {
        return check(bodyJsonMismatch("request", actual.requestBody(), path, expected));
    }

    public AttemptAssert hasResponseBodyJson(String path, Object expected) {
        return check(bodyJsonMismatch("response", actual.responseBody(), path, expected));
    }

    /** The recorded response body's start, as UTF-8 text. */
    public AttemptAssert hasResponseBodyStartingWith(String prefix) {
        RecordedBody b = actual.responseBody();
        String problem = notRecorded("response", b);
        return check(problem != null || b.text().startsWith(prefix) ? problem
                : "expected the response body to start with \"" + prefix + "\" but it was \"" + b.text() + "\"");
    }

    /** The body was longer than {@code recordBodies}: only its start was kept. */
    public AttemptAssert hasTruncatedResponseBody() {
        RecordedBody b = actual.responseBody();
        String problem = notRecorded("response", b);
        return check(problem != null || b.truncated() ? problem : "expected a truncated response body but all "
                + b.totalBytes() + " bytes were recorded");
    }

    static String upstreamHeaderMismatch(Attempt a, String name, String value) {
        return Objects.equals(a.upstreamHeader(name), value) ? null : String.format(Locale.ROOT,
                "expected upstream header %s: %s on attempt %d but it was %s", name, value, a.number(), a.upstreamHeader(name));
    }

    static String bodyJsonMismatch(String which, RecordedBody body, String path, Object expected) {
        String problem = notRecorded(which, body);
        if (problem != null) return problem;
        String found;
        try {
            found = body.json(path);
        } catch (RuntimeException e) {
            return "cannot read " + path + " in the " + which + " body: " + e.getMessage();
        }
        String want = expected == null ? null : expected.toString();
        return Objects.equals(found, want) ? null : String.format(Locale.ROOT, "expected %s in the %s body to be %s but it was %s",
                path, which, want, found == null ? "absent" : found);
    }

    private static String notRecorded(String which, RecordedBody body) {
        return body != null ? null : "no " + which + " body was recorded: bodies are kept only with recordBodies "
                + "(@MeshTest(recordBodies = n), MeshExtension.builder().recordBodies(n) or MeshProxy.Builder.recordBodies(n))";
    }

    private AttemptAssert check(String problem) {
        isNotNull();
        if (problem != null) {
            failWithMessage("%s", problem + ":\n  attempt " + actual.number() + " to " + actual.endpoint() + ", status "
                    + actual.status() + ", " + actual.upstreamPath() + " " + actual.upstreamHeaders()
                    + (actual.responseBody() == null ? "" : "\n  response body: " + actual.responseBody().text()));
        }
        return this;
    }
}
