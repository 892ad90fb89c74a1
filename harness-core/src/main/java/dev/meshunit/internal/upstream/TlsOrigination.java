package dev.meshunit.internal.upstream;

import dev.meshunit.config.ClientTlsSettings;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.File;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

/**
 * A cluster's DestinationRule {@code tls}: SIMPLE or MUTUAL origination with the files named (as paths,
 * as Istio reads them), built once when the cluster is. DISABLE and ISTIO_MUTUAL mean plain text here:
 * there is no Istio CA, and the endpoint's own sidecar, which would terminate Istio mTLS, is not there.
 * A context that cannot be built (a missing file) fails every attempt with the reason.
 */
public final class TlsOrigination {
    private final SslContext context;
    private final SslContext h2Context;
    private final String error;
    private final String sni;
    private final List<String> subjectAltNames;
    private final String key;

    private TlsOrigination(SslContext context, SslContext h2Context, String error, String sni,
                           List<String> subjectAltNames, String key) {
        this.context = context;
        this.h2Context = h2Context;
        this.error = error;
        this.sni = sni;
        this.subjectAltNames = subjectAltNames;
        this.key = key;
    }

    /** The origination for a cluster of {@code host}, or null for plain text. */
    public static TlsOrigination of(ClientTlsSettings tls, String host) {
        if (tls == null || tls.mode() == null || tls.mode() == ClientTlsSettings.Mode.DISABLE
                || tls.mode() == ClientTlsSettings.Mode.ISTIO_MUTUAL) {
            return null;
        }
        String sni = tls.sni() != null && !tls.sni().isBlank() ? tls.sni() : host;
        String key = "tls" + tls + "|";
        try {
            // As Envoy: the chain is verified, the host name is not; subjectAltNames, when given, are checked.
            SslContextBuilder b = SslContextBuilder.forClient().endpointIdentificationAlgorithm(null);
            if (Boolean.TRUE.equals(tls.insecureSkipVerify())) {
                b.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else if (tls.caCertificates() != null && !tls.caCertificates().isBlank()) {
                b.trustManager(new File(tls.caCertificates()));
            }
            if (tls.mode() == ClientTlsSettings.Mode.MUTUAL) {
                b.keyManager(new File(tls.clientCertificate()), new File(tls.privateKey()));
            }
            SslContext plain = b.build();
            // HTTP/2 clusters offer h2 by ALPN, as Istio configures them.
            SslContext h2 = b.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2)).build();
            return new TlsOrigination(plain, h2, null, sni, tls.subjectAltNames(), key);
        } catch (Exception | Error e) {
            String why = "TLS context: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            return new TlsOrigination(null, null, why, sni, tls.subjectAltNames(), key);
        }
    }

    /** The context, or null when it could not be built ({@link #error()} says why). */
    public SslContext context() {
        return context;
    }

    /** The context for HTTP/2 connections (ALPN h2), or null when none could be built. */
    public SslContext h2Context() {
        return h2Context;
    }

    public String error() {
        return error;
    }

    /** The server name sent: {@code sni}, else the service host. */
    public String sni() {
        return sni;
    }

    /** Connections with one TLS setting are pooled apart from plain ones and from other settings. */
    public String key() {
        return key;
    }

    /**
     * Null when the peer's certificate carries one of {@code subjectAltNames} (or none are required), else
     * why not.
     */
    public String verifySubjectAltNames(X509Certificate peer) {
        if (subjectAltNames.isEmpty()) return null;
        try {
            Collection<List<?>> sans = peer.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() > 1 && subjectAltNames.contains(String.valueOf(san.get(1)))) return null;
                }
            }
            return "SAN verification failed: certificate has " + (sans == null ? "no SANs"
                    : sans.stream().map(s -> String.valueOf(s.get(1))).toList()) + ", expected one of " + subjectAltNames;
        } catch (CertificateParsingException e) {
            return "SAN verification failed: " + e.getMessage();
        }
    }
}
