package dev.meshunit.config.load.internal;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Istio's validateTLSOptions for a Gateway server's {@code tls}. */
final class GatewayTls {
    private static final Set<String> CIPHERS = Set.of("ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
            "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305",
            "ECDHE-RSA-CHACHA20-POLY1305", "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA",
            "ECDHE-RSA-AES256-SHA", "AES128-GCM-SHA256", "AES256-GCM-SHA384", "AES128-SHA", "AES256-SHA", "DES-CBC3-SHA");

    private GatewayTls() {}

    /** PASSTHROUGH is the default mode. */
    static boolean passthrough(RawView tls) {
        String mode = tls.string("mode");
        return mode.isEmpty() || mode.equals("PASSTHROUGH") || mode.equals("AUTO_PASSTHROUGH");
    }

    static void check(RawView tls, Ctx ctx) {
        String p = tls.path();
        String mode = tls.string("mode");
        String min = tls.string("minProtocolVersion");
        List<String> ciphers = tls.strings("cipherSuites");
        if ((min.equals("TLSV1_0") || min.equals("TLSV1_1")) && ciphers.isEmpty()) {
            warn(ctx, tls, p, "TLS version below TLSV1_2 require setting compatible ciphers as by default they no longer include compatible ciphers.");
        }
        Set<String> invalid = new TreeSet<>();
        Set<String> seen = new java.util.HashSet<>();
        Set<String> duplicate = new TreeSet<>();
        for (String cs : ciphers) {
            boolean valid = cs.isEmpty() || cs.equals("ALL") || !Character.isLetterOrDigit(cs.charAt(0)) || CIPHERS.contains(cs);
            if (!valid) invalid.add(cs);
            else if (!seen.add(cs)) duplicate.add(cs);
        }
        if (!invalid.isEmpty()) warn(ctx, tls, p + ".cipherSuites", "ignoring invalid cipher suites: " + invalid);
        if (!duplicate.isEmpty()) warn(ctx, tls, p + ".cipherSuites", "ignoring duplicate cipher suites: " + duplicate);
        boolean cert = set(tls, "serverCertificate");
        boolean key = set(tls, "privateKey");
        boolean ca = set(tls, "caCertificates");
        boolean credential = set(tls, "credentialName");
        boolean credentials = !tls.items("credentialNames").isEmpty();
        List<RawView> certificates = tls.items("tlsCertificates");
        if (mode.equals("ISTIO_MUTUAL")) {
            if (cert) error(ctx, tls, p, "ISTIO_MUTUAL TLS cannot have associated server certificate");
            if (key) error(ctx, tls, p, "ISTIO_MUTUAL TLS cannot have associated private key");
            if (ca) error(ctx, tls, p, "ISTIO_MUTUAL TLS cannot have associated CA bundle");
            if (!certificates.isEmpty()) error(ctx, tls, p, "ISTIO_MUTUAL TLS cannot have associated tlsCertificates");
            if (credential) error(ctx, tls, p, "ISTIO_MUTUAL TLS cannot have associated credentialName");
            if (credentials) error(ctx, tls, p, "ISTIO_MUTUAL TLS cannot have associated credentialNames");
            return;
        }
        if ((mode.equals("PASSTHROUGH") || mode.equals("AUTO_PASSTHROUGH"))
                && (set(tls, "caCrl") || cert || key || ca || !certificates.isEmpty() || credential || credentials)) {
            warn(ctx, tls, p, mode + " mode does not use certificates, they will be ignored");
        }
        int sources = (cert && key ? 1 : 0) + (credential ? 1 : 0) + (credentials ? 1 : 0) + (certificates.isEmpty() ? 0 : 1);
        if (sources > 1) {
            error(ctx, tls, p, "only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified");
        }
        boolean terminating = mode.equals("SIMPLE") || mode.equals("MUTUAL") || mode.equals("OPTIONAL_MUTUAL");
        if (terminating && (credential || credentials)) return;
        if (terminating) {
            String prefix = mode.equals("SIMPLE") ? "SIMPLE TLS" : "MUTUAL TLS";
            if (!mode.equals("SIMPLE") && !ca) error(ctx, tls, p, prefix + " requires a client CA bundle");
            if (certificates.size() > 2) warn(ctx, tls, p, prefix + " can support up to 2 server certificates");
            if (certificates.isEmpty()) {
                if (!cert) error(ctx, tls, p, prefix + " requires a server certificate");
                if (!key) error(ctx, tls, p, prefix + " requires a private key");
            }
            for (RawView c : certificates) {
                if (!set(c, "serverCertificate")) error(ctx, c, c.path(), prefix + " requires a server certificate");
                if (!set(c, "privateKey")) error(ctx, c, c.path(), prefix + " requires a private key");
            }
        }
        if (set(tls, "caCrl")) {
            if (credential) error(ctx, tls, p, "CRL is not supported with credentialName. CRL has to be specified in the credential");
            if (mode.equals("SIMPLE")) error(ctx, tls, p, "CRL is not supported with SIMPLE TLS");
        }
    }

    private static boolean set(RawView v, String key) {
        return !v.string(key).isEmpty();
    }

    private static void error(Ctx ctx, RawView at, String path, String message) {
        ctx.error(path, at.mark(), message);
    }

    private static void warn(Ctx ctx, RawView at, String path, String message) {
        ctx.warning(path, at.mark(), message, null);
    }
}
