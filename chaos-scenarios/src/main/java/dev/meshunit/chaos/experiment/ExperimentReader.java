package dev.meshunit.chaos.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a Chaos Toolkit experiment (JSON, or YAML for {@code .yaml}/{@code .yml}) and checks it as
 * {@code chaos validate} would, reporting every problem as {@code file: field.path: message}. Only the {@code http}
 * and {@code process} providers can run here; {@code python} providers are refused by name.
 */
public final class ExperimentReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new YAMLMapper();

    private final String source;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, ObjectNode> named = new HashMap<>();

    private ExperimentReader(String source) {
        this.source = source;
    }

    /**
     * @param vars {@code --var} values, overriding the experiment's configuration ({@code name:int=5} and
     *     {@code name:float=0.5} are typed, as in Chaos Toolkit)
     * @param env the environment, for configuration entries {@code {type: env, key: NAME, default: ...}}
     */
    public static Experiment read(Path file, List<String> vars, Function<String, String> env) {
        String name = file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ExperimentException(List.of(name + ": cannot read: " + e.getMessage()));
        }
        return parse(name, text, vars, env);
    }

    public static Experiment parse(String name, String text, List<String> vars, Function<String, String> env) {
        String lower = name.toLowerCase(Locale.ROOT);
        ObjectMapper mapper = lower.endsWith(".yaml") || lower.endsWith(".yml") ? YAML : JSON;
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            String where = at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw new ExperimentException(List.of(name + where + ": " + e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new ExperimentException(List.of(name + ": an experiment is a JSON or YAML object with a title and a method"));
        }
        return new ExperimentReader(name).build((ObjectNode) root, vars, env);
    }

    private Experiment build(ObjectNode raw, List<String> vars, Function<String, String> env) {
        Placeholders placeholders = new Placeholders(configuration(raw.path("configuration"), vars, env));
        ObjectNode doc = (ObjectNode) placeholders.apply(raw);
        String title = doc.path("title").asText("");
        if (title.isBlank()) problem("title", "required: a short statement of what the experiment shows");
        collectNames(doc);
        Experiment.Hypothesis hypothesis = hypothesis(doc.get("steady-state-hypothesis"));
        List<Activity> method = activities(doc.get("method"), "method", false);
        if (method.isEmpty() && problems.isEmpty()) problem("method", "required: at least one activity");
        List<Activity> rollbacks = activities(doc.get("rollbacks"), "rollbacks", false);
        JsonNode runtime = doc.path("runtime");
        Experiment.HypothesisStrategy hs = choose(Experiment.HypothesisStrategy.values(),
                runtime.path("hypothesis").path("strategy").asText("default"), "runtime.hypothesis.strategy", s -> s.spelling);
        double freq = runtime.path("hypothesis").path("freq").asDouble(1);
        Experiment.RollbackStrategy rs = choose(Experiment.RollbackStrategy.values(),
                runtime.path("rollbacks").path("strategy").asText("always"), "runtime.rollbacks.strategy", s -> s.spelling);
        if (!problems.isEmpty()) throw new ExperimentException(problems);
        return new Experiment(source, raw, title, hypothesis, method, rollbacks, hs, freq, rs, meshunitExtension(doc));
    }

    /** Literal values, or {@code {type: env, key: NAME, default: V}}; then the {@code --var}s on top. */
    private Map<String, JsonNode> configuration(JsonNode config, List<String> vars, Function<String, String> env) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isObject() && v.path("type").asText().equals("env")) {
                String fromEnv = env.apply(v.path("key").asText());
                if (fromEnv != null) values.put(e.getKey(), TextNode.valueOf(fromEnv));
                else if (v.has("default")) values.put(e.getKey(), v.get("default"));
                else problem("configuration." + e.getKey(), "environment variable " + v.path("key").asText() + " is not set and there is no default");
            } else {
                values.put(e.getKey(), v);
            }
        }
        for (String var : vars) {
            int eq = var.indexOf('=');
            if (eq <= 0) {
                problem("--var " + var, "must look like name=value, name:int=value or name:float=value");
                continue;
            }
            String key = var.substring(0, eq);
            String value = var.substring(eq + 1);
            try {
                if (key.endsWith(":int")) values.put(key.substring(0, key.length() - 4), IntNode.valueOf(Integer.parseInt(value)));
                else if (key.endsWith(":float")) values.put(key.substring(0, key.length() - 6), DoubleNode.valueOf(Double.parseDouble(value)));
                else values.put(key, TextNode.valueOf(value));
            } catch (NumberFormatException ex) {
                problem("--var " + var, "'" + value + "' is not a number");
            }
        }
        return values;
    }

    private void collectNames(ObjectNode doc) {
        List<JsonNode> all = new ArrayList<>();
        doc.path("steady-state-hypothesis").path("probes").forEach(all::add);
        doc.path("method").forEach(all::add);
        doc.path("rollbacks").forEach(all::add);
        for (JsonNode a : all) {
            if (a.isObject() && a.hasNonNull("name") && !a.has("ref")) named.putIfAbsent(a.get("name").asText(), (ObjectNode) a);
        }
    }

    private Experiment.Hypothesis hypothesis(JsonNode h) {
        if (h == null || h.isNull()) return null;
        if (!h.isObject()) {
            problem("steady-state-hypothesis", "must be an object with a title and probes");
            return null;
        }
        if (h.path("title").asText("").isBlank()) problem("steady-state-hypothesis.title", "required");
        return new Experiment.Hypothesis(h.path("title").asText(), activities(h.get("probes"), "steady-state-hypothesis.probes", true));
    }

    private List<Activity> activities(JsonNode list, String path, boolean hypothesis) {
        List<Activity> out = new ArrayList<>();
        if (list == null || list.isNull()) return out;
        if (!list.isArray()) {
            problem(path, "must be a list of activities");
            return out;
        }
        for (int i = 0; i < list.size(); i++) {
            Activity a = activity(list.get(i), path + "[" + i + "]", hypothesis);
            if (a != null) out.add(a);
        }
        return out;
    }

    private Activity activity(JsonNode node, String path, boolean hypothesis) {
        if (!node.isObject()) {
            problem(path, "an activity is an object (type, name, provider) or {ref: NAME}");
            return null;
        }
        ObjectNode a = (ObjectNode) node;
        if (a.has("ref")) {
            ObjectNode target = named.get(a.get("ref").asText());
            if (target == null) {
                problem(path + ".ref", "no activity named '" + a.get("ref").asText() + "' (named: " + String.join(", ", named.keySet().stream().sorted().toList()) + ")");
                return null;
            }
            a = target;
        }
        String type = a.path("type").asText();
        if (!type.equals("action") && !type.equals("probe")) problem(path + ".type", "must be action or probe, was '" + type + "'");
        if (a.path("name").asText("").isBlank()) problem(path + ".name", "required");
        JsonNode provider = a.get("provider");
        ProviderCheck.check(provider, path + ".provider", this::problem);
        JsonNode tolerance = a.get("tolerance");
        if (hypothesis) {
            if (tolerance == null) problem(path + ".tolerance", "required for a hypothesis probe");
            else Tolerances.check(tolerance, path + ".tolerance", this::problem);
        }
        JsonNode pauses = a.path("pauses");
        double before = seconds(pauses.get("before"), path + ".pauses.before");
        double after = seconds(pauses.get("after"), path + ".pauses.after");
        JsonNode bg = a.get("background");
        if (bg != null && !bg.isBoolean()) problem(path + ".background", "must be true or false");
        return new Activity(type, a.path("name").asText(), provider, tolerance, before, after, bg != null && bg.asBoolean(), a);
    }

    private double seconds(JsonNode n, String path) {
        if (n == null || n.isNull()) return 0;
        if (n.isTextual() && n.asText().matches("\\d+(\\.\\d+)?")) return Double.parseDouble(n.asText()); // a --var
        if (!n.isNumber() || n.asDouble() < 0) {
            problem(path, "a number of seconds >= 0, was " + n);
            return 0;
        }
        return n.asDouble();
    }

    private <E extends Enum<E>> E choose(E[] values, String written, String path, Function<E, String> spelling) {
        for (E e : values) if (spelling.apply(e).equals(written)) return e;
        problem(path, "one of " + String.join(", ", Arrays.stream(values).map(spelling).toList()) + ", was '" + written + "'");
        return values[0];
    }

    private static JsonNode meshunitExtension(ObjectNode doc) {
        for (JsonNode e : doc.path("extensions")) {
            if (e.path("name").asText().equals("meshunit")) return e;
        }
        return null;
    }

    private void problem(String path, String message) {
        problems.add(source + ": " + path + ": " + message);
    }
}
