package dev.meshunit.junit.internal.stub;

import dev.meshunit.junit.StubAnswer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which answer a stub gives to a path: the answers of the longest scripted prefix, served in order, the last
 * one repeated; else the fallback. Thread-safe: scripts may change while requests arrive.
 */
public final class StubScript {
    private final TreeMap<String, Answers> byPrefix = new TreeMap<>();
    private StubAnswer fallback;

    public StubScript(StubAnswer fallback) {
        this.fallback = fallback;
    }

    public synchronized void script(String pathPrefix, List<StubAnswer> answers) {
        if (!pathPrefix.startsWith("/")) throw new IllegalArgumentException("a path prefix starts with /, got " + pathPrefix);
        if (answers.isEmpty()) throw new IllegalArgumentException("no answers for " + pathPrefix);
        byPrefix.put(pathPrefix, new Answers(List.copyOf(answers)));
    }

    public synchronized void fallback(StubAnswer answer) {
        this.fallback = answer;
    }

    /** Forgets every script and count, keeping the fallback. */
    public synchronized void clear() {
        byPrefix.clear();
    }

    public synchronized StubAnswer next(String path) {
        for (Map.Entry<String, Answers> e : byPrefix.descendingMap().entrySet()) {
            if (path.startsWith(e.getKey())) return e.getValue().next();
        }
        return fallback;
    }

    private static final class Answers {
        private final List<StubAnswer> answers;
        private int served;

        Answers(List<StubAnswer> answers) {
            this.answers = answers;
        }

        StubAnswer next() {
            return answers.get(Math.min(served++, answers.size() - 1));
        }
    }
}
