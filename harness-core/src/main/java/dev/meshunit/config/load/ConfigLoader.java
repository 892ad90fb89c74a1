package dev.meshunit.config.load;

import dev.meshunit.config.DestinationRule;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.ServiceEntry;
import dev.meshunit.config.VirtualService;
import dev.meshunit.config.WorkloadEntry;
import dev.meshunit.config.load.Problem.Severity;
import dev.meshunit.config.load.internal.DocumentBinder;
import dev.meshunit.config.load.internal.Located;
import dev.meshunit.config.load.internal.Node;
import dev.meshunit.config.load.internal.YamlReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Loads Istio YAML (VirtualService, DestinationRule, ServiceEntry, WorkloadEntry) into an {@link IstioConfig}
 * and validates it like istioctl would, reporting every problem with file, line and column. Other kinds are
 * skipped with a warning, so whole sample folders can be pointed at. Immutable and thread-safe.
 */
public final class ConfigLoader {
    private final Function<String, String> placeholders;
    private final boolean applyInOrder;

    private ConfigLoader(Function<String, String> placeholders, boolean applyInOrder) {
        this.placeholders = placeholders;
        this.applyInOrder = applyInOrder;
    }

    /** A loader that knows no placeholders: any {@code ${...}} is an error. */
    public static ConfigLoader create() {
        return new ConfigLoader(name -> null, false);
    }

    /**
     * Reads the sources as {@code kubectl apply -f a.yaml -f b.yaml} would apply them: a later resource of the
     * same kind, namespace and name replaces the earlier one instead of being reported as a duplicate. The
     * whole result is validated once, so a VirtualService may use subsets from a DestinationRule in
     * another file.
     */
    public ConfigLoader applyInOrder() {
        return new ConfigLoader(placeholders, true);
    }

    /** {@code ${name}} in scalar values is replaced by {@code resolver.apply(name)}; null means unresolved. */
    public ConfigLoader withPlaceholders(Function<String, String> resolver) {
        return new ConfigLoader(Objects.requireNonNull(resolver), applyInOrder);
    }

    /** Files and folders (recursively, {@code *.yaml}/{@code *.yml} sorted by name), named as given. */
    public LoadResult load(Path... paths) {
        List<Source> sources = new ArrayList<>();
        for (Path p : paths) sources.addAll(files(p));
        return load(sources);
    }

    /** Classpath resources, named by their resource names. */
    public LoadResult loadResources(ClassLoader loader, String... names) {
        List<Source> sources = new ArrayList<>();
        for (String name : names) {
            try (InputStream in = loader.getResourceAsStream(name)) {
                if (in == null) throw new IllegalArgumentException("no classpath resource " + name);
                sources.add(new Source(name, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return load(sources);
    }

    public LoadResult loadResources(String... names) {
        return loadResources(Thread.currentThread().getContextClassLoader(), names);
    }

    /** YAML text; {@code displayName} stands for the file name in problems. */
    public LoadResult loadString(String displayName, String yaml) {
        return load(List.of(new Source(displayName, yaml)));
    }

    /** {@link #load(Path...)} and {@link LoadResult#orThrow()}. */
    public IstioConfig loadOrThrow(Path... paths) {
        return load(paths).orThrow();
    }

    private record Source(String name, String text) {}

    private LoadResult load(List<Source> sources) {
        List<Problem> problems = new ArrayList<>();
        List<DocumentBinder.Bound> bound = new ArrayList<>();
        YamlReader reader = new YamlReader();
        for (Source s : sources) {
            try {
                DocumentBinder binder = new DocumentBinder(s.name(), problems, placeholders);
                for (Node doc : reader.read(s.text())) binder.bind(doc, bound::add);
            } catch (YamlReader.SyntaxError e) {
                Position at = new Position(s.name(), e.mark().line(), e.mark().column());
                problems.add(new Problem(Severity.ERROR, at, null, null, e.getMessage(), null));
            }
        }
        if (applyInOrder) bound = lastApplied(bound);
        IstioConfig config = assemble(bound);
        // A value that failed to bind would be reported again as missing; one problem per place is enough.
        Set<Position> bindingErrors = problems.stream().filter(Problem::isError).map(Problem::position).collect(Collectors.toSet());
        List<dev.meshunit.config.load.internal.GatewayResource> gateways = bound.stream().map(DocumentBinder.Bound::resource)
                .filter(dev.meshunit.config.load.internal.GatewayResource.class::isInstance)
                .map(dev.meshunit.config.load.internal.GatewayResource.class::cast).toList();
        new ConfigValidator().validate(config, new Located(bound), gateways).stream()
                .filter(p -> !(p.isError() && bindingErrors.contains(p.position())))
                .forEach(problems::add);
        return new LoadResult(config, problems);
    }

    /** Keeps, for each kind, namespace and name, the last resource, at the place of the first. */
    private static List<DocumentBinder.Bound> lastApplied(List<DocumentBinder.Bound> bound) {
        java.util.LinkedHashMap<String, DocumentBinder.Bound> byKey = new java.util.LinkedHashMap<>();
        for (DocumentBinder.Bound b : bound) {
            dev.meshunit.config.Metadata m = metadata(b.resource());
            String key = m == null ? "#" + byKey.size() : b.resource().getClass().getSimpleName() + "/" + m.namespace() + "/" + m.name();
            byKey.put(key, b);
        }
        return new ArrayList<>(byKey.values());
    }

    private static dev.meshunit.config.Metadata metadata(Object resource) {
        if (resource instanceof VirtualService r) return r.metadata();
        if (resource instanceof DestinationRule r) return r.metadata();
        if (resource instanceof ServiceEntry r) return r.metadata();
        if (resource instanceof WorkloadEntry r) return r.metadata();
        return null;
    }

    private static IstioConfig assemble(List<DocumentBinder.Bound> bound) {
        List<Object> all = bound.stream().map(DocumentBinder.Bound::resource).toList();
        return new IstioConfig(only(all, VirtualService.class), only(all, DestinationRule.class),
                only(all, ServiceEntry.class), only(all, WorkloadEntry.class));
    }

    private static <T> List<T> only(List<Object> all, Class<T> type) {
        return all.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static List<Source> files(Path path) {
        return yamlFiles(path).stream().map(p -> new Source(p.toString(), read(p))).toList();
    }

    /**
     * The files {@link #load(Path...)} reads for one path: the file itself, or a folder's {@code *.yaml} and
     * {@code *.yml} files, recursively, sorted by name.
     */
    public static List<Path> yamlFiles(Path path) {
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> Files.isRegularFile(path) || p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new UncheckedIOException(p + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": " + e, e);
        }
    }
}
