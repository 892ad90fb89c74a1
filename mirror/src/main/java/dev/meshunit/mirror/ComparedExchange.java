package dev.meshunit.mirror;

import dev.meshunit.journal.RecordedResponse;
import java.util.List;

/**
 * One primary exchange next to its candidate shadow. {@code differences} are what the comparison reports;
 * {@code noise} differed too but the same field also differs between two primaries; {@code ignored} matched
 * an ignore rule. {@code candidate} is null when the shadow got no answer; {@code candidateNote} says why.
 */
public record ComparedExchange(
        long primaryId,
        String route,
        String method,
        String path,
        RecordedResponse primary,
        RecordedResponse candidate,
        String candidateNote,
        List<Difference> differences,
        List<Difference> noise,
        List<Difference> ignored) {

    public ComparedExchange {
        differences = List.copyOf(differences);
        noise = List.copyOf(noise);
        ignored = List.copyOf(ignored);
    }

    public boolean equal() {
        return differences.isEmpty();
    }

    public int candidateStatus() {
        return candidate == null ? 0 : candidate.status();
    }
}
