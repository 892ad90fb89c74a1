package dev.meshunit.junit.internal.explore;

import dev.meshunit.junit.ExpectFailureWhen;
import dev.meshunit.junit.ExploredFault;
import java.util.List;
import java.util.Set;

/** An {@link ExpectFailureWhen}, read: a service, the faults it covers (empty: all) and a path prefix (empty: all). */
public record ExpectedFailure(String service, Set<ExploredFault> faults, String path) {

    public static ExpectedFailure of(ExpectFailureWhen a) {
        return new ExpectedFailure(a.service(), Set.of(a.fault()), a.path());
    }

    boolean covers(Combination.Injection i) {
        return i.call().service().equals(service) && (faults.isEmpty() || faults.contains(i.fault()))
                && i.call().path().startsWith(path);
    }

    static boolean anyCovers(List<ExpectedFailure> expected, Combination c) {
        return c.injections().stream().anyMatch(i -> expected.stream().anyMatch(e -> e.covers(i)));
    }
}
