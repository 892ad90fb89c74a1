package dev.meshunit.internal.router;

import dev.meshunit.journal.Attempt;
import dev.meshunit.journal.ResponseFlag;
import java.util.Set;

/** The journal's record of an attempt. */
final class AttemptRecords {
    private AttemptRecords() {}

    static dev.meshunit.journal.Attempt of(dev.meshunit.internal.router.Attempt up, int status, String error,
                                           Set<ResponseFlag> flags) {
        return new Attempt(up.number(), up.endpoint().id(), status, error, flags, Math.round(up.elapsedMs() * 1000) / 1000.0);
    }
}
