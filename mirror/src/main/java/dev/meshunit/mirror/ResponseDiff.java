package dev.meshunit.mirror;

import dev.meshunit.journal.RecordedResponse;
import dev.meshunit.mirror.internal.BodyDiff;
import java.util.ArrayList;
import java.util.List;

/** Status, chosen headers and body of two answers, compared. */
final class ResponseDiff {
    private ResponseDiff() {}

    static List<Difference> of(RecordedResponse primary, RecordedResponse other, String otherNote, List<String> headers) {
        List<Difference> out = new ArrayList<>();
        int otherStatus = other == null ? 0 : other.status();
        if (primary.status() != otherStatus) {
            out.add(new Difference(Difference.Kind.STATUS, "status", Integer.toString(primary.status()),
                    other == null ? "no answer (" + otherNote + ")" : Integer.toString(otherStatus)));
        }
        if (other == null) return out;
        for (String h : headers) {
            String a = join(primary.headers().get(h));
            String b = join(other.headers().get(h));
            if (!a.equals(b)) out.add(new Difference(Difference.Kind.HEADER, "header " + h, a, b));
        }
        out.addAll(BodyDiff.diff(primary.bodyText(), other.bodyText()));
        return out;
    }

    private static String join(List<String> values) {
        return values == null ? Difference.ABSENT : String.join(",", values);
    }
}
