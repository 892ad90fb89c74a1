package dev.meshunit.config.load.internal;

import dev.meshunit.config.Destination;
import dev.meshunit.config.HeaderOperations;
import dev.meshunit.config.Headers;
import dev.meshunit.config.StringMatch;
import java.util.List;

/** Bindings shared by several kinds: destinations, string matches, header operations, selectors. */
final class CommonBinder {
    private CommonBinder() {}

    static Destination destination(Fields f) {
        String host = f.string("host");
        String subset = f.string("subset");
        // {} selects port 0, which Istio rejects; absent selects no port.
        Integer port = f.object("port", p -> p.integer("number") == null ? Integer.valueOf(0) : p.integer("number"));
        return new Destination(host, subset, port);
    }

    /** {@code {}} is the presence check that headers and queryParams use. */
    static StringMatch stringMatch(Fields f) {
        StringMatch m = StringMatch.present();
        int set = 0;
        for (StringMatch.Kind kind : List.of(StringMatch.Kind.EXACT, StringMatch.Kind.PREFIX, StringMatch.Kind.REGEX)) {
            String name = kind.name().toLowerCase();
            String v = f.string(name);
            if (v != null) {
                m = new StringMatch(kind, v);
                if (++set == 2) {
                    f.ctx().error(f.path(name), f.node(name).mark(), "only one of exact, prefix or regex may be set");
                }
            }
        }
        return m;
    }

    static Headers headers(Fields f) {
        return new Headers(f.object("request", CommonBinder::headerOps), f.object("response", CommonBinder::headerOps));
    }

    private static HeaderOperations headerOps(Fields f) {
        return new HeaderOperations(f.stringMap("set"), f.stringMap("add"), f.strings("remove"));
    }
}
