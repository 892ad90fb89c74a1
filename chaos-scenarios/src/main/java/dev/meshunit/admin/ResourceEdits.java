package dev.meshunit.admin;

import dev.meshunit.MeshProxy;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.config.load.ConfigValidator;
import dev.meshunit.config.load.LoadResult;
import dev.meshunit.config.load.Problem;
import dev.meshunit.config.load.SourceLocator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code POST /config/apply} and {@code DELETE /config/KIND/[NAMESPACE/]NAME}: one resource at a time, the rest
 * kept, as {@code kubectl apply} and {@code delete} do. The config that results is validated whole (a
 * VirtualService may use the subsets of a DestinationRule in force) and refused, the old one kept, when it
 * has errors. Problems found in the posted resources alone keep their line numbers.
 */
final class ResourceEdits {
    static final String IN_FORCE = "<in force>";

    private final MeshProxy proxy;
    private final Function<String, LoadResult> loader;

    ResourceEdits(MeshProxy proxy, Function<String, LoadResult> loader) {
        this.proxy = proxy;
        this.loader = loader;
    }

    AdminServer.Reply apply(String yaml) {
        if (yaml.isBlank()) return answer(400, List.of("empty body: POST the Istio YAML of the resources to apply"), List.of(), null);
        LoadResult body;
        try {
            body = loader.apply(yaml);
        } catch (RuntimeException e) {
            return answer(400, List.of(String.valueOf(e.getMessage())), List.of(), null);
        }
        synchronized (proxy) {
            IstioConfig before = proxy.config();
            IstioConfig after = Resources.apply(before, body.config());
            List<Problem> problems = problems(body, before, after);
            List<Map<String, String>> applied = new ArrayList<>();
            for (Object r : Resources.all(body.config())) {
                List<Object> old = Resources.all(before);
                int at = Resources.indexOf(old, Resources.key(r));
                applied.add(entry(Resources.key(r), at < 0 ? "created" : old.get(at).equals(r) ? "unchanged" : "configured"));
            }
            return update(problems, after, applied);
        }
    }

    AdminServer.Reply delete(String kindWritten, String namespace, String name) {
        String kind = Resources.kind(kindWritten);
        if (kind == null) {
            return Replies.error(404, "no such kind '" + kindWritten
                    + "' (VirtualService, DestinationRule, ServiceEntry, WorkloadEntry, or vs, dr, se, we)");
        }
        Resources.Key key = new Resources.Key(kind, namespace, name);
        synchronized (proxy) {
            IstioConfig before = proxy.config();
            if (Resources.indexOf(Resources.all(before), key) < 0) {
                List<String> present = Resources.all(before).stream().map(r -> Resources.key(r).toString()).toList();
                return Replies.error(404, "no " + key + " in force (in force: " + String.join(", ", present) + ")");
            }
            IstioConfig after = Resources.without(before, key);
            List<Problem> problems = newProblems(before, after);
            return update(problems, after, List.of(entry(key, "deleted")));
        }
    }

    private AdminServer.Reply update(List<Problem> problems, IstioConfig after, List<Map<String, String>> done) {
        List<String> errors = problems.stream().filter(Problem::isError).map(Problem::toString).toList();
        List<String> warnings = problems.stream().filter(p -> !p.isError()).map(Problem::toString).toList();
        if (!errors.isEmpty()) return answer(400, errors, warnings, null);
        try {
            proxy.updateConfig(after);
        } catch (RuntimeException e) {
            return answer(400, List.of("config refused: " + e.getMessage()), warnings, null);
        }
        return answer(200, List.of(), warnings, done);
    }

    /**
     * The posted resources' own problems (with lines) that still hold in the whole config, their binding
     * problems, and what the whole config newly has beyond them (cross-resource findings).
     */
    private static List<Problem> problems(LoadResult body, IstioConfig before, IstioConfig after) {
        Set<String> alone = keys(validate(body.config()));
        Set<String> whole = keys(validate(after));
        List<Problem> out = new ArrayList<>();
        for (Problem p : body.problems()) {
            if (!alone.contains(key(p)) || whole.contains(key(p))) out.add(p);
        }
        Set<String> known = new HashSet<>(alone);
        known.addAll(keys(validate(before)));
        for (Problem p : validate(after)) {
            if (!known.contains(key(p))) out.add(p);
        }
        out.sort(Problem.ORDER);
        return out;
    }

    private static List<Problem> newProblems(IstioConfig before, IstioConfig after) {
        Set<String> known = keys(validate(before));
        return validate(after).stream().filter(p -> !known.contains(key(p))).toList();
    }

    private static List<Problem> validate(IstioConfig c) {
        return new ConfigValidator().validate(c, SourceLocator.fixed(IN_FORCE));
    }

    private static Set<String> keys(List<Problem> problems) {
        Set<String> out = new HashSet<>();
        problems.forEach(p -> out.add(key(p)));
        return out;
    }

    /** A problem without its place: the same finding whether the resource came from a file or the request. */
    private static String key(Problem p) {
        return p.severity() + "|" + p.resource() + "|" + p.path() + "|" + p.message() + "|" + p.code();
    }

    private static Map<String, String> entry(Resources.Key k, String action) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("kind", k.kind());
        e.put("namespace", k.namespace());
        e.put("name", k.name());
        e.put("action", action);
        return e;
    }

    private static AdminServer.Reply answer(int status, List<String> errors, List<String> warnings, List<Map<String, String>> done) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errors", errors);
        body.put("warnings", warnings);
        if (done != null) body.put("resources", done);
        return Replies.json(status, body);
    }
}
