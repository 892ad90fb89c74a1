package dev.meshunit.junit.internal;

import dev.meshunit.config.DeclaredHosts;
import dev.meshunit.fault.CallKey;
import dev.meshunit.fault.Fault;
import dev.meshunit.fault.FaultMatch;
import dev.meshunit.fault.FaultOverride;
import dev.meshunit.fault.FaultOverrides;
import dev.meshunit.fault.FaultTrigger;
import dev.meshunit.junit.InjectAbort;
import dev.meshunit.junit.InjectDelay;
import dev.meshunit.junit.InjectFault;
import dev.meshunit.junit.InjectHttpFault;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Reads {@link InjectDelay}, {@link InjectAbort}, {@link InjectFault} and {@link InjectHttpFault} into fault overrides, misuse named. */
public final class FaultAnnotations {
    private FaultAnnotations() {}

    /** The class (outer classes first, for @Nested), then the method: class-level faults apply to every test. */
    public static List<AnnotatedElement> sources(ExtensionContext context) {
        List<AnnotatedElement> sources = new ArrayList<>();
        for (Class<?> c = context.getRequiredTestClass(); c != null;
                c = Modifier.isStatic(c.getModifiers()) ? null : c.getEnclosingClass()) {
            sources.add(0, c);
        }
        sources.add(context.getRequiredTestMethod());
        return sources;
    }

    /**
     * Adds the overrides of an element to {@code faults}; one naming a host that {@code hosts} does not declare
     * fails the test, naming the element and the nearest declared hosts.
     */
    public static void add(AnnotatedElement element, FaultOverrides faults, DeclaredHosts hosts) {
        for (FaultOverride o : read(element)) {
            try {
                hosts.require(o.match().host(), where(element, "fault annotation"));
            } catch (IllegalArgumentException typo) {
                throw new ExtensionConfigurationException(typo.getMessage(), typo);
            }
            faults.add(o);
        }
    }

    /** The overrides declared on an element (class or method), in declaration order: delays, aborts, faults. */
    public static List<FaultOverride> read(AnnotatedElement element) {
        List<FaultOverride> out = new ArrayList<>();
        for (InjectDelay d : AnnotationSupport.findRepeatableAnnotations(element, InjectDelay.class)) {
            String where = where(element, "@InjectDelay(host = \"" + d.host() + "\")");
            out.add(override(where, d.host(), Fault.delay(duration(where, d.delay())), d.subset(), d.path(), d.header(),
                    d.percentage(), d.requests(), d.firstAttempts(), d.callKey()));
        }
        for (InjectAbort a : AnnotationSupport.findRepeatableAnnotations(element, InjectAbort.class)) {
            String where = where(element, "@InjectAbort(host = \"" + a.host() + "\")");
            out.add(override(where, a.host(), checked(where, () -> abort(a)), a.subset(), a.path(),
                    a.header(), a.percentage(), a.requests(), a.firstAttempts(), a.callKey()));
        }
        for (InjectFault f : AnnotationSupport.findRepeatableAnnotations(element, InjectFault.class)) {
            String where = where(element, "@InjectFault(host = \"" + f.host() + "\")");
            out.add(override(where, f.host(), fault(where, f), f.subset(), f.path(), f.header(), f.percentage(),
                    f.requests(), f.firstAttempts(), f.callKey()));
        }
        for (InjectHttpFault h : AnnotationSupport.findRepeatableAnnotations(element, InjectHttpFault.class)) {
            String where = where(element, "@InjectHttpFault(host = \"" + h.host() + "\")");
            out.add(override(where, h.host(), checked(where, () -> httpFault(where, h)), h.subset(), h.path(),
                    h.header(), h.percentage(), h.requests(), h.firstAttempts(), h.callKey()));
        }
        return out;
    }

    private static Fault abort(InjectAbort a) {
        if (a.grpcStatus().isEmpty() == (a.status() == 0)) throw new IllegalArgumentException("give status or grpcStatus");
        return a.grpcStatus().isEmpty() ? Fault.abort(a.status()) : Fault.grpcAbort(a.grpcStatus());
    }

    private static Fault httpFault(String where, InjectHttpFault h) {
        return switch (h.kind()) {
            case RESET_BEFORE_ANSWER -> new Fault.ResetBeforeAnswer();
            case RESET_AFTER_HEADERS -> new Fault.ResetAfterHeaders(h.status());
            case EMPTY_RESPONSE -> new Fault.EmptyResponse();
            case MALFORMED_STATUS_LINE -> new Fault.MalformedStatusLine();
            case TRUNCATED_BODY -> new Fault.TruncatedBody(h.length(), h.bytes());
            case SLOW_BODY -> new Fault.SlowBody(h.length(), h.bytes(), duration(where, h.interval()));
        };
    }

    private static Fault fault(String where, InjectFault f) {
        boolean delays = !f.delay().isBlank();
        if (!delays && f.abort() == 0) throw new ExtensionConfigurationException(where + ": give a delay, an abort or both");
        return checked(where, () -> {
            if (!delays) return Fault.abort(f.abort());
            Duration d = duration(where, f.delay());
            return f.abort() == 0 ? Fault.delay(d) : new Fault.DelayThenAbort(d, f.abort());
        });
    }

    private static FaultOverride override(String where, String host, Fault fault, String subset, String path,
            String header, double percentage, String requests, int firstAttempts, String callKey) {
        return checked(where, () -> {
            FaultMatch match = FaultMatch.host(host);
            if (!subset.isEmpty()) match = match.withSubset(subset);
            if (!path.isEmpty()) match = match.withPathPrefix(path);
            if (!header.isEmpty()) match = match.withHeader(header);
            int triggers = (percentage != 100 ? 1 : 0) + (requests.isBlank() ? 0 : 1) + (firstAttempts != 0 ? 1 : 0);
            if (triggers > 1) throw new IllegalArgumentException("percentage, requests and firstAttempts exclude each other");
            if (!callKey.isEmpty() && firstAttempts == 0) throw new IllegalArgumentException("callKey needs firstAttempts");
            FaultTrigger trigger = firstAttempts != 0
                    ? new FaultTrigger.FirstAttempts(firstAttempts, callKey(callKey))
                    : !requests.isBlank() ? requests(requests) : new FaultTrigger.Percentage(percentage);
            return new FaultOverride(match, fault, trigger);
        });
    }

    /** {@code "3,7,10-20"}. */
    static FaultTrigger.Requests requests(String spec) {
        List<FaultTrigger.Range> ranges = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.strip();
            int dash = p.indexOf('-', 1);
            try {
                ranges.add(dash < 0 ? new FaultTrigger.Range(Long.parseLong(p), Long.parseLong(p))
                        : new FaultTrigger.Range(Long.parseLong(p.substring(0, dash).strip()), Long.parseLong(p.substring(dash + 1).strip())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("requests must look like \"3,7,10-20\" (was \"" + spec + "\")", e);
            }
        }
        return new FaultTrigger.Requests(ranges);
    }

    /** {@code 200ms}, {@code 1.5s}, {@code 2m}, or ISO-8601. */
    static Duration duration(String where, String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt")) return Duration.parse(t);
            if (t.endsWith("ms")) return Duration.ofNanos(Math.round(Double.parseDouble(t.substring(0, t.length() - 2)) * 1e6));
            if (t.endsWith("s")) return Duration.ofNanos(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1e9));
            if (t.endsWith("m")) return Duration.ofNanos(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60e9));
        } catch (NumberFormatException | DateTimeParseException e) {
            // falls through to the message below
        }
        throw new ExtensionConfigurationException(where + ": delay \"" + text + "\" is not a duration; write 200ms, 1.5s, 2m or PT0.2S");
    }

    private interface Build<T> {
        T get();
    }

    private static <T> T checked(String where, Build<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException(where + ": " + e.getMessage(), e);
        }
    }

    private static String where(AnnotatedElement element, String annotation) {
        String name = element instanceof Class<?> c ? c.getSimpleName()
                : element instanceof java.lang.reflect.Method m ? m.getDeclaringClass().getSimpleName() + "." + m.getName() + "()"
                : element.toString();
        return annotation + " on " + name;
    }

    /** {@code ""}: method and path; {@code "(body)"}: method, path and body; anything else names a header. */
    static CallKey callKey(String spec) {
        if (spec.isEmpty()) return CallKey.methodAndPath();
        if (spec.equals(BODY)) return CallKey.methodPathAndBody();
        return CallKey.header(spec);
    }

    /** Not a valid header name, so it cannot clash with one. */
    static final String BODY = "(body)";
}
