package dev.meshunit.journal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An exchange as bytes and back, every field: what the journal retains instead of the exchange's object graph.
 * Unpacking gives an exchange equal to the one packed (headers come back as {@link JournalHeaders}, in the order
 * the packed map iterated).
 */
final class ExchangePacking {
    private static final ResponseFlag[] FLAGS = ResponseFlag.values();
    private static final int HEADERS_EMPTY = 0;
    private static final int HEADERS_LINES = 1; // every name has values: journal headers on the way back
    private static final int HEADERS_MAP = 2; // a name without values, or a null value: a plain map on the way back

    private ExchangePacking() {}

    static void pack(Exchange e, Packing.Writer w) {
        w.varint(e.id());
        Instant start = e.start();
        w.bool(start != null);
        if (start != null) {
            w.signed(start.getEpochSecond());
            w.varint(start.getNano());
        }
        w.str(e.source());
        w.str(e.method());
        w.str(e.authority());
        w.str(e.path());
        headers(e.requestHeaders(), w);
        route(e.route(), w);
        destination(e.destination(), w);
        List<Attempt> attempts = e.attempts();
        w.varint(attempts.size());
        for (int i = 0; i < attempts.size(); i++) attempt(attempts.get(i), w);
        fault(e.fault(), w);
        w.signed(e.status());
        flags(e.flags(), w);
        w.f64(e.durationMs());
        Truncation t = e.truncation();
        w.varint(t.headers());
        w.varint(t.headerBytes());
        w.varint(t.names().size());
        for (int i = 0; i < t.names().size(); i++) w.str(t.names().get(i));
        w.str(e.protocol());
        w.signed(e.streamId());
        w.str(e.grpcStatus());
        w.str(e.grpcMessage());
        w.str(e.nearestRoute());
        headers(e.responseTrailers(), w);
    }

    static Exchange unpack(byte[] bytes, int from) {
        Packing.Reader r = new Packing.Reader(bytes, from);
        long id = r.varint();
        Instant start = r.bool() ? Instant.ofEpochSecond(r.signed(), r.varint()) : null;
        String source = r.str();
        String method = r.str();
        String authority = r.str();
        String path = r.str();
        Map<String, List<String>> requestHeaders = headers(r);
        RouteRef route = route(r);
        DestinationRef destination = destination(r);
        int n = r.int32();
        List<Attempt> attempts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) attempts.add(attempt(r));
        InjectedFault fault = fault(r);
        int status = (int) r.signed();
        Set<ResponseFlag> flags = flags(r);
        double durationMs = r.f64();
        int cutHeaders = r.int32();
        long cutBytes = r.varint();
        int cutNames = r.int32();
        List<String> names = new ArrayList<>(cutNames);
        for (int i = 0; i < cutNames; i++) names.add(r.str());
        Truncation truncation = cutHeaders == 0 && cutBytes == 0 && names.isEmpty() ? Truncation.NONE
                : new Truncation(cutHeaders, cutBytes, names);
        String protocol = r.str();
        int streamId = (int) r.signed();
        String grpcStatus = r.str();
        String grpcMessage = r.str();
        String nearestRoute = r.str();
        Map<String, List<String>> trailers = headers(r);
        return new Exchange(id, start, source, method, authority, path, requestHeaders, route, destination, attempts,
                fault, status, flags, durationMs, truncation, protocol, streamId, grpcStatus, grpcMessage, nearestRoute,
                trailers);
    }

    private static void attempt(Attempt a, Packing.Writer w) {
        w.signed(a.number());
        w.str(a.endpoint());
        w.signed(a.status());
        w.str(a.error());
        flags(a.flags(), w);
        w.f64(a.durationMs());
        w.str(a.upstreamPath());
        headers(a.upstreamHeaders(), w);
        body(a.requestBody(), w);
        body(a.responseBody(), w);
    }

    private static Attempt attempt(Packing.Reader r) {
        return new Attempt((int) r.signed(), r.str(), (int) r.signed(), r.str(), flags(r), r.f64(), r.str(), headers(r),
                body(r), body(r));
    }

    private static void route(RouteRef route, Packing.Writer w) {
        w.bool(route != null);
        if (route == null) return;
        w.str(route.virtualService());
        w.str(route.namespace());
        w.signed(route.index());
        w.str(route.name());
    }

    private static RouteRef route(Packing.Reader r) {
        return r.bool() ? new RouteRef(r.str(), r.str(), (int) r.signed(), r.str()) : null;
    }

    private static void destination(DestinationRef d, Packing.Writer w) {
        w.bool(d != null);
        if (d == null) return;
        w.str(d.host());
        w.str(d.subset());
        w.signed(d.port());
    }

    private static DestinationRef destination(Packing.Reader r) {
        return r.bool() ? new DestinationRef(r.str(), r.str(), (int) r.signed()) : null;
    }

    private static void fault(InjectedFault f, Packing.Writer w) {
        w.bool(f != null);
        if (f == null) return;
        w.signed(f.delayMs());
        w.signed(f.abortStatus());
        w.str(f.http());
    }

    private static InjectedFault fault(Packing.Reader r) {
        if (!r.bool()) return null;
        InjectedFault f = new InjectedFault(r.signed(), (int) r.signed(), r.str());
        return f.equals(InjectedFault.NONE) ? InjectedFault.NONE : f;
    }

    private static void body(RecordedBody b, Packing.Writer w) {
        w.bool(b != null);
        if (b == null) return;
        w.bytes(b.keptBytes());
        w.varint(b.totalBytes());
        w.bool(b.truncated());
    }

    private static RecordedBody body(Packing.Reader r) {
        return r.bool() ? new RecordedBody(r.bytes(), r.varint(), r.bool()) : null;
    }

    private static void flags(Set<ResponseFlag> flags, Packing.Writer w) {
        int bits = 0;
        if (!flags.isEmpty()) { // nearly always: no iterator
            for (ResponseFlag f : flags) bits |= 1 << f.ordinal();
        }
        w.varint(bits);
    }

    private static Set<ResponseFlag> flags(Packing.Reader r) {
        int bits = r.int32();
        if (bits == 0) return Set.of();
        EnumSet<ResponseFlag> set = EnumSet.noneOf(ResponseFlag.class);
        for (ResponseFlag f : FLAGS) {
            if ((bits & (1 << f.ordinal())) != 0) set.add(f);
        }
        return set;
    }

    private static void headers(Map<String, List<String>> headers, Packing.Writer w) {
        if (headers.isEmpty()) {
            w.u8(HEADERS_EMPTY);
            return;
        }
        if (headers instanceof JournalHeaders j) { // what the proxy records: its arrays, no entry or list per name
            int names = j.size();
            w.u8(HEADERS_LINES);
            w.varint(names);
            for (int i = 0; i < names; i++) {
                w.str(j.nameAt(i));
                Object v = j.rawValuesAt(i);
                if (v instanceof String s) {
                    w.varint(1);
                    w.str(s);
                } else {
                    String[] many = (String[]) v;
                    w.varint(many.length);
                    for (String s : many) w.str(s);
                }
            }
            return;
        }
        boolean lines = true; // what journal headers can hold: each name with values, none of them null
        for (List<String> values : headers.values()) {
            lines &= !values.isEmpty();
            for (int i = 0; i < values.size(); i++) lines &= values.get(i) != null;
        }
        w.u8(lines ? HEADERS_LINES : HEADERS_MAP);
        w.varint(headers.size());
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            w.str(h.getKey());
            List<String> values = h.getValue();
            w.varint(values.size());
            for (int i = 0; i < values.size(); i++) w.str(values.get(i));
        }
    }

    private static Map<String, List<String>> headers(Packing.Reader r) {
        int kind = r.u8();
        if (kind == HEADERS_EMPTY) return JournalHeaders.EMPTY;
        int names = r.int32();
        if (kind == HEADERS_LINES) {
            JournalHeaders.Builder b = new JournalHeaders.Builder(names);
            for (int i = 0; i < names; i++) {
                String name = r.str();
                int values = r.int32();
                for (int k = 0; k < values; k++) b.addExact(name, r.str());
            }
            return b.build();
        }
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < names; i++) {
            String name = r.str();
            int values = r.int32();
            List<String> vs = new ArrayList<>(values);
            for (int k = 0; k < values; k++) vs.add(r.str());
            map.put(name, java.util.Collections.unmodifiableList(vs)); // List.copyOf would refuse a null value
        }
        return Map.copyOf(map);
    }
}
