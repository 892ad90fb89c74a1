package dev.meshunit.config.load.internal;

import dev.meshunit.config.ClientTlsSettings;
import dev.meshunit.config.ClientTlsSettings.Mode;

/** Istio's client TLS rules for DestinationRules (agent.ValidateTLS). */
final class TlsChecks {
    private TlsChecks() {}

    static void check(ClientTlsSettings tls, String path, String namespace, Report r) {
        if (tls == null) return;
        if (set(tls.caCrl())) r.notActedOn(path + ".caCrl", NotActedOn.TLS_FILES);
        if (set(tls.credentialName())) r.notActedOn(path + ".credentialName", NotActedOn.TLS_FILES);
        String credential = tls.credentialName() == null ? "" : tls.credentialName();
        if (credential.startsWith("configmap://")) {
            String rest = credential.substring("configmap://".length());
            int slash = rest.indexOf('/');
            if (slash >= 0 && !rest.substring(0, slash).equals(namespace)) {
                r.error(path + ".credentialName", "invalid configmap:// credentialName: namespace must match the configuration namespace \""
                        + namespace + "\"");
            }
        }
        boolean ca = set(tls.caCertificates());
        boolean sans = !tls.subjectAltNames().isEmpty() || r.written(path + ".subjectAltNames");
        if (Boolean.TRUE.equals(tls.insecureSkipVerify())) {
            if (tls.mode() == Mode.SIMPLE && (ca || !credential.isEmpty() || sans)) {
                r.error(path + ".insecureSkipVerify",
                        "cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true");
            }
            if (tls.mode() == Mode.MUTUAL && (ca || sans)) {
                r.error(path + ".insecureSkipVerify", "cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true");
            }
        }
        if ((tls.mode() == Mode.SIMPLE || tls.mode() == Mode.MUTUAL) && !credential.isEmpty()) {
            if (set(tls.clientCertificate()) || ca || set(tls.privateKey()) || set(tls.caCrl())) {
                r.error(path + ".credentialName", "cannot specify client certificates or CA certificate or CA CRL If credentialName is set");
            }
            return;
        }
        if (tls.mode() == Mode.MUTUAL) {
            if (!set(tls.clientCertificate())) r.error(path + ".clientCertificate", "client certificate required for mutual tls");
            if (!set(tls.privateKey())) r.error(path + ".privateKey", "private key required for mutual tls");
        }
        if (tls.mode() == Mode.ISTIO_MUTUAL) {
            if (set(tls.clientCertificate()) || set(tls.privateKey()) || ca || !credential.isEmpty() || set(tls.sni()) || sans) {
                r.warning(path, "ISTIO_MUTUAL uses Istio's certificates; the certificates, keys, SNI and subject alt names given are ignored");
            }
            r.notActedOn(path + ".mode", NotActedOn.ISTIO_MUTUAL);
        }
    }

    private static boolean set(String s) {
        return s != null && !s.isEmpty();
    }
}
