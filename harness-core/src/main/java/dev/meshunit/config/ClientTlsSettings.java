package dev.meshunit.config;

import java.util.List;

/** TLS the proxy originates towards the endpoints. */
public record ClientTlsSettings(
        Mode mode, String clientCertificate, String privateKey, String caCertificates, String caCrl,
        String credentialName, List<String> subjectAltNames, String sni, Boolean insecureSkipVerify) {

    public enum Mode { DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL }

    public ClientTlsSettings {
        subjectAltNames = Immutables.list(subjectAltNames);
    }
}
