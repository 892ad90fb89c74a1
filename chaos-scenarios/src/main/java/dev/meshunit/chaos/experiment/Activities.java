package dev.meshunit.chaos.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one activity as Chaos Toolkit's {@code execute_activity} does: pause before, the provider, pause after,
 * and a run record {@code {activity, output, start, status, exception?, end, duration}} (the end taken before the
 * pause after). Pauses end early when the run is interrupted.
 */
final class Activities {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx");

    private final HttpProvider http = new HttpProvider();
    private final ProcessProvider process = new ProcessProvider();
    private final CountDownLatch interrupted;
    private final PrintStream log;

    Activities(CountDownLatch interrupted, PrintStream log) {
        this.interrupted = interrupted;
        this.log = log;
    }

    /** A finished activity: its journal entry and when it started and ended, pauses included. */
    record Done(ObjectNode run, Instant spanStart, Instant spanEnd) {
        boolean succeeded() {
            return run.path("status").asText().equals("succeeded");
        }
    }

    Done execute(Activity a) {
        Instant spanStart = Instant.now();
        pause(a.pauseBefore());
        Instant start = Instant.now();
        ObjectNode run = JSON.createObjectNode();
        run.set("activity", a.raw().deepCopy());
        run.putNull("output");
        run.put("start", iso(start));
        try {
            JsonNode out = a.providerType().equals("http") ? http.run(a.provider()) : process.run(a.provider());
            run.set("output", out);
            run.put("status", "succeeded");
            int status = out.path("status").asInt(0);
            if (a.tolerance() == null && a.providerType().equals("http") && status > 399) {
                log.println("meshunit run: warning: " + a.type() + " '" + a.name() + "' got HTTP " + status + ": "
                        + abbreviate(out.path("body").toString()));
            }
        } catch (ActivityFailed e) {
            run.put("status", "failed");
            run.putArray("exception").add("ActivityFailed: " + e.getMessage());
            log.println("meshunit run: " + a.type() + " '" + a.name() + "' failed: " + e.getMessage());
        }
        Instant end = Instant.now();
        run.put("end", iso(end));
        run.put("duration", (end.toEpochMilli() - start.toEpochMilli()) / 1000.0);
        pause(a.pauseAfter());
        return new Done(run, spanStart, Instant.now());
    }

    /** Waits, or returns at once when the run is interrupted. */
    void pause(double seconds) {
        if (seconds <= 0) return;
        try {
            interrupted.await((long) (seconds * 1000), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String iso(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC).format(ISO);
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
