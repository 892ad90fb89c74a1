package dev.meshunit.config.load.internal;

import dev.meshunit.config.load.Position;
import dev.meshunit.config.load.SourceLocator;
import dev.meshunit.config.load.internal.Node.Mark;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Source positions of loaded resources, by record identity (two equal records from two files stay apart).
 * A path that was never written (a missing field) falls back to its nearest written parent.
 */
public final class Located implements SourceLocator {
    private final Map<Object, DocumentBinder.Bound> byResource = new IdentityHashMap<>();

    public Located(List<DocumentBinder.Bound> bound) {
        bound.forEach(b -> byResource.put(b.resource(), b));
    }

    @Override
    public Position locate(Object resource, String path) {
        DocumentBinder.Bound b = byResource.get(resource);
        if (b == null) return Position.unknown("<unknown>");
        String p = path;
        while (true) {
            Mark m = b.positions().get(p);
            if (m != null) return new Position(b.source(), m.line(), m.column());
            if (p.isEmpty()) return Position.unknown(b.source());
            p = parent(p);
        }
    }

    @Override
    public boolean written(Object resource, String path) {
        DocumentBinder.Bound b = byResource.get(resource);
        return b != null && b.positions().containsKey(path);
    }

    private static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }
}
