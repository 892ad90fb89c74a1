package dev.meshunit.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hand-parsed {@code --name value}, {@code --name=value} and {@code --switch} arguments of one command.
 * Flags named in {@code repeatable} may be given several times; any other flag at most once.
 */
final class Options {
    private final String command;
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private Options(String command) {
        this.command = command;
    }

    static Options parse(String command, List<String> args, Set<String> valued, Set<String> switches,
            Set<String> repeatable) throws UsageException {
        Options o = new Options(command);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) throw new UsageException("unexpected argument '" + arg + "' for " + command);
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            String value;
            if (switches.contains(name)) {
                if (eq >= 0) throw new UsageException(name + " takes no value");
                value = "true";
            } else if (valued.contains(name)) {
                if (eq >= 0) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                    value = args.get(++i);
                } else {
                    throw new UsageException(name + " needs a value");
                }
                if (value.isEmpty()) throw new UsageException(name + " needs a value");
            } else {
                throw new UsageException("unknown option " + name + " for " + command);
            }
            List<String> list = o.values.computeIfAbsent(name, k -> new ArrayList<>());
            if (!list.isEmpty() && !repeatable.contains(name)) throw new UsageException(name + " given more than once");
            list.add(value);
        }
        return o;
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    String value(String name) {
        List<String> v = values.get(name);
        return v == null ? null : v.get(0);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    List<String> required(String name) throws UsageException {
        List<String> v = all(name);
        if (v.isEmpty()) throw new UsageException(command + " needs " + name);
        return v;
    }

    /** A port number, 0 for a free one; {@code fallback} when the flag is absent. */
    int port(String name, int fallback) throws UsageException {
        String v = value(name);
        if (v == null) return fallback;
        long n = number(name, v);
        if (n < 0 || n > 65535) throw new UsageException(name + " must be a port number 0-65535, was '" + v + "'");
        return (int) n;
    }

    long number(String name, String v) throws UsageException {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a whole number, was '" + v + "'");
        }
    }
}
