package dev.meshunit.config.load.internal;

import dev.meshunit.config.DestinationRule;
import dev.meshunit.config.Metadata;
import dev.meshunit.config.ServiceEntry;
import dev.meshunit.config.VirtualService;
import dev.meshunit.config.WorkloadEntry;
import dev.meshunit.config.load.Problem;
import dev.meshunit.config.load.Problem.Severity;
import dev.meshunit.config.load.SourceLocator;
import java.util.List;

/** Where validation findings about one resource go, positioned through the locator. */
public final class Report {
    private final SourceLocator locator;
    private final List<Problem> problems;
    private final Object resource;
    private final String label;

    public Report(SourceLocator locator, List<Problem> problems, Object resource) {
        this.locator = locator;
        this.problems = problems;
        this.resource = resource;
        this.label = label(resource);
    }

    public Report about(Object other) {
        return new Report(locator, problems, other);
    }

    /** Where a field of another resource was written, to point at the other side of a conflict. */
    public dev.meshunit.config.load.Position where(Object other, String path) {
        return locator.locate(other, path);
    }

    /** Whether the resource's YAML wrote {@code path} (even as {@code {}}). */
    public boolean written(String path) {
        return locator.written(resource, path);
    }

    public void error(String path, String message) {
        add(Severity.ERROR, path, message, null);
    }

    /** Errors that istioctl analyze reports with a code (e.g. IST0101). */
    public void error(String path, String message, String code) {
        add(Severity.ERROR, path, message, code);
    }

    public void warning(String path, String message) {
        add(Severity.WARNING, path, message, null);
    }

    public void warning(String path, String message, String code) {
        add(Severity.WARNING, path, message, code);
    }

    public void notActedOn(String path, String reason) {
        warning(path, "accepted but not acted on by MeshUnit (" + reason + ")");
    }

    private void add(Severity severity, String path, String message, String code) {
        problems.add(new Problem(severity, locator.locate(resource, path), label, path, message, code));
    }

    static String label(Object r) {
        if (r instanceof VirtualService vs) return label("VirtualService", vs.metadata());
        if (r instanceof DestinationRule dr) return label("DestinationRule", dr.metadata());
        if (r instanceof ServiceEntry se) return label("ServiceEntry", se.metadata());
        if (r instanceof WorkloadEntry we) return label("WorkloadEntry", we.metadata());
        return "";
    }

    /** {@code Kind name}, or {@code Kind namespace/name} outside the default namespace, as istioctl names resources. */
    static String label(String kind, Metadata m) {
        return kind + " " + (m.namespace().equals(Metadata.DEFAULT_NAMESPACE) ? m.name() : m.namespace() + "/" + m.name());
    }
}
