package dev.meshunit.cli;

import dev.meshunit.MeshProxy;
import dev.meshunit.admin.AdminServer;
import dev.meshunit.chaos.SidecarToxics;
import dev.meshunit.chaos.ToxicProxyServer;
import dev.meshunit.chaos.ToxiproxyApiServer;
import dev.meshunit.config.IstioConfig;
import dev.meshunit.journal.JournalLimits;
import dev.meshunit.router.RetryDefaults;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code meshunit proxy}: a MeshProxy and its admin API, until stopped. */
final class ProxyCommand {
    private static final Set<String> VALUED = union(Set.of("--config", "--port", "--admin-port", "--seed", "--bind",
            "--journal-capacity", "--retry-defaults", "--toxiproxy-port", "--record-bodies", "--compare-report",
            "--candidate", "--secondary", "--ignore", "--ignore-header", "--gateway", "--journal-max-bytes",
            "--journal-max-headers", "--journal-max-header-bytes"), DownstreamFlags.VALUED);
    private static final Set<String> REPEATABLE = Set.of("--config", "--ignore", "--ignore-header", "--gateway");
    /** What {@code --compare-report} records of each body when {@code --record-bodies} is not given. */
    static final int COMPARE_BODY_BYTES = 64 * 1024;
    private static final Set<String> SWITCHES = Set.of("--listener-per-service", "--sidecar-toxics", DownstreamFlags.SIDECAR);

    private static Set<String> union(Set<String> a, List<String> b) {
        java.util.Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /** The proxy command's settings, parsed and checked. */
    record Settings(List<String> configs, int port, int adminPort, Long seed, String bind, boolean listenerPerService,
            Integer journalCapacity, RetryDefaults retryDefaults, Integer toxiproxyPort, int recordBodies,
            Comparing.Settings compare, List<String> gateways, JournalLimits journalLimits, boolean sidecarToxics,
            dev.meshunit.downstream.DownstreamLimits downstream) {

        static Settings parse(List<String> args) throws UsageException {
            Options o = Options.parse("proxy", args, VALUED, SWITCHES, REPEATABLE);
            Long seed = o.has("--seed") ? o.number("--seed", o.value("--seed")) : null;
            Integer capacity = null;
            if (o.has("--journal-capacity")) {
                long n = o.number("--journal-capacity", o.value("--journal-capacity"));
                if (n < 1 || n > Integer.MAX_VALUE) {
                    throw new UsageException("--journal-capacity must be at least 1, was '" + o.value("--journal-capacity") + "'");
                }
                capacity = (int) n;
            }
            Comparing.Settings compare = Comparing.Settings.parse(o);
            int recordBodies = compare == null ? 0 : COMPARE_BODY_BYTES;
            if (o.has("--record-bodies")) {
                long n = o.number("--record-bodies", o.value("--record-bodies"));
                if (n < 0 || n > Integer.MAX_VALUE) {
                    throw new UsageException("--record-bodies must be 0 or more bytes, was '" + o.value("--record-bodies") + "'");
                }
                if (n == 0 && compare != null) {
                    throw new UsageException("--compare-report needs bodies: --record-bodies must be more than 0");
                }
                recordBodies = (int) n;
            }
            return new Settings(o.required("--config"), o.port("--port", 0), o.port("--admin-port", 0), seed,
                    bindAddress(o.value("--bind")), o.has("--listener-per-service"), capacity,
                    retryDefaults(o.value("--retry-defaults")),
                    o.has("--toxiproxy-port") ? o.port("--toxiproxy-port", 0) : null, recordBodies, compare,
                    o.all("--gateway"), journalLimits(o), o.has("--sidecar-toxics"), DownstreamFlags.parse(o));
        }

        private static JournalLimits journalLimits(Options o) throws UsageException {
            JournalLimits d = JournalLimits.DEFAULT;
            return new JournalLimits(at(o, "--journal-max-bytes", 1, Long.MAX_VALUE, d.maxBytes()),
                    (int) at(o, "--journal-max-headers", 0, Integer.MAX_VALUE, d.maxHeaders()),
                    (int) at(o, "--journal-max-header-bytes", 0, Integer.MAX_VALUE, d.maxHeaderBytes()));
        }

        private static long at(Options o, String flag, long min, long max, long fallback) throws UsageException {
            if (!o.has(flag)) return fallback;
            long n = o.number(flag, o.value(flag));
            if (n < min || n > max) throw new UsageException(flag + " must be at least " + min + ", was '" + o.value(flag) + "'");
            return n;
        }

        private static String bindAddress(String v) throws UsageException {
            if (v == null) return "127.0.0.1";
            try {
                InetAddress.getByName(v);
                return v;
            } catch (UnknownHostException e) {
                throw new UsageException("--bind " + v + ": not an IP address or a known host name");
            }
        }

        static RetryDefaults retryDefaults(String v) throws UsageException {
            if (v == null) return RetryDefaults.ISTIO_1_24;
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "istio-1.24" -> RetryDefaults.ISTIO_1_24;
                case "istio-1.23" -> RetryDefaults.ISTIO_1_23;
                case "none" -> RetryDefaults.NONE;
                default -> throw new UsageException("--retry-defaults must be istio-1.24, istio-1.23 or none, was '" + v + "'");
            };
        }
    }

    /** A started proxy and admin server; closing it stops both. */
    static final class Running implements AutoCloseable {
        private final MeshProxy proxy;
        private final AdminServer admin;
        private final String bind;
        private final AutoCloseable toxics;
        private final Comparing comparing;

        private Running(MeshProxy proxy, AdminServer admin, String bind, AutoCloseable toxics, Comparing comparing) {
            this.proxy = proxy;
            this.admin = admin;
            this.bind = bind;
            this.toxics = toxics;
            this.comparing = comparing;
        }

        /** Before closing: with {@code --compare-report}, writes the report. False when that failed. */
        boolean finish(PrintStream err) {
            return comparing == null || comparing.writeOnStop(err);
        }

        MeshProxy proxy() {
            return proxy;
        }

        AdminServer admin() {
            return admin;
        }

        /** The line scripts wait for: the bound ports, and the bind address as it was given. */
        String readyLine() {
            return "meshunit proxy listening on " + bind + ":" + proxy.port() + " admin " + bind + ":" + admin.port();
        }

        @Override
        public void close() {
            try {
                if (toxics != null) toxics.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the toxic proxies", e);
            } finally {
                try {
                    admin.close();
                } finally {
                    proxy.close();
                }
            }
        }
    }

    private ProxyCommand() {}

    /** Binds the proxy, then the admin server; a failure of the second closes the first. */
    static Running start(Settings s, IstioConfig config, PrintStream err) {
        MeshProxy.Builder b = MeshProxy.builder().config(config).port(s.port()).bindAddress(s.bind())
                .listenerPerService(s.listenerPerService()).retryDefaults(s.retryDefaults())
                .downstreamLimits(s.downstream());
        if (s.seed() != null) b.seed(s.seed());
        s.gateways().forEach(b::gateway);
        if (s.journalCapacity() != null) b.journalCapacity(s.journalCapacity());
        if (s.recordBodies() > 0) b.recordBodies(s.recordBodies());
        b.journalMaxBytes(s.journalLimits().maxBytes())
                .journalHeaderLimits(s.journalLimits().maxHeaders(), s.journalLimits().maxHeaderBytes());
        SidecarToxics sidecarToxics = null;
        java.util.concurrent.atomic.AtomicReference<MeshProxy> started = new java.util.concurrent.atomic.AtomicReference<>();
        if (s.sidecarToxics()) {
            sidecarToxics = SidecarToxics.builder().seed(s.seed() == null ? 1 : s.seed())
                    .config(() -> started.get() == null ? config : started.get().config()).build();
            b.upstreamVia(sidecarToxics);
        }
        MeshProxy proxy = startClosingOnFailure(b, sidecarToxics);
        started.set(proxy);
        AdminServer admin;
        Comparing comparing = null;
        try {
            AdminServer.Builder ab = AdminServer.builder(proxy).bindAddress(s.bind()).port(s.adminPort());
            if (s.compare() != null) comparing = Comparing.attach(s.compare(), proxy, ab);
            if (sidecarToxics != null) SidecarToxicsApi.attach(sidecarToxics, ab);
            admin = ab.start();
        } catch (RuntimeException e) {
            proxy.close();
            if (sidecarToxics != null) sidecarToxics.close();
            throw e;
        }
        AutoCloseable toxics = sidecarToxics;
        try {
            if (s.toxiproxyPort() != null) toxics = both(startToxiproxyApi(s, err), sidecarToxics);
        } catch (RuntimeException e) {
            admin.close();
            proxy.close();
            if (sidecarToxics != null) sidecarToxics.close();
            throw e;
        }
        printServiceListeners(proxy, err); // TCP and TLS ports always have one; HTTP ports with --listener-per-service
        return new Running(proxy, admin, s.bind(), toxics, comparing);
    }

    private static MeshProxy startClosingOnFailure(MeshProxy.Builder b, SidecarToxics toxics) {
        try {
            return b.start();
        } catch (RuntimeException e) {
            if (toxics != null) toxics.close();
            throw e;
        }
    }

    /** The Toxiproxy API's proxies, then the sidecar's toxic proxies (null: none). */
    private static AutoCloseable both(AutoCloseable api, SidecarToxics sidecar) {
        return sidecar == null ? api : () -> {
            try {
                api.close();
            } finally {
                sidecar.close();
            }
        };
    }

    /** TCP toxics behind the Toxiproxy-compatible API, seeded like the proxy; closing stops both. */
    private static AutoCloseable startToxiproxyApi(Settings s, PrintStream err) {
        ToxicProxyServer toxics = ToxicProxyServer.builder().seed(s.seed() == null ? 0 : s.seed()).bindHost(s.bind()).build();
        ToxiproxyApiServer api;
        try {
            api = ToxiproxyApiServer.start(new InetSocketAddress(s.bind(), s.toxiproxyPort()), toxics);
        } catch (RuntimeException e) {
            toxics.close();
            throw e;
        }
        err.println("meshunit toxiproxy API listening on " + s.bind() + ":" + api.port());
        return () -> {
            try {
                api.close();
            } finally {
                toxics.close();
            }
        };
    }

    private static void printServiceListeners(MeshProxy proxy, PrintStream err) {
        proxy.serviceAddresses().forEach((authority, address) ->
                err.println("meshunit service " + authority + " listening on " + address.getHostString() + ":" + address.getPort()));
    }
}
