package dev.meshunit.internal.netty;

import dev.meshunit.internal.upstream.Endpoint;
import dev.meshunit.internal.upstream.TlsOrigination;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The TLS handshake on a new upstream connection, then the DestinationRule's subjectAltNames check. A
 * failure is named the way Envoy's transport failure reason is (CERTIFICATE_VERIFY_FAILED...), followed
 * by the JDK's words.
 */
final class UpstreamTls {
    private UpstreamTls() {}

    /** Calls {@code done} with null when the connection is ready for HTTP, or with why not. */
    static void handshake(Channel ch, TlsOrigination tls, Endpoint endpoint, Consumer<Throwable> done) {
        if (tls.context() == null) {
            done.accept(new SSLException(tls.error()));
            return;
        }
        SslHandler ssl = tls.context().newHandler(ch.alloc(), tls.sni(), endpoint.port());
        ch.pipeline().addFirst("tls", ssl);
        verify(ssl, tls, done);
    }

    /** Waits for the handshake of {@code ssl}, already in the pipeline, then checks subjectAltNames. */
    static void verify(SslHandler ssl, TlsOrigination tls, Consumer<Throwable> done) {
        ssl.handshakeFuture().addListener((Future<Channel> f) -> {
            if (!f.isSuccess()) {
                done.accept(new SSLHandshakeException("TLS error: " + reason(f.cause())));
                return;
            }
            String san;
            try {
                san = tls.verifySubjectAltNames((X509Certificate) ssl.engine().getSession().getPeerCertificates()[0]);
            } catch (SSLPeerUnverifiedException e) {
                san = "no peer certificate";
            }
            done.accept(san == null ? null : new SSLHandshakeException("TLS error: " + san));
        });
    }

    private static String reason(Throwable cause) {
        String code = "handshake failed";
        String detail = cause.getMessage();
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException
                    || t instanceof CertificateException) {
                code = "CERTIFICATE_VERIFY_FAILED";
                detail = t.getMessage();
            }
        }
        return code + (detail == null ? "" : " (" + detail + ")");
    }
}
