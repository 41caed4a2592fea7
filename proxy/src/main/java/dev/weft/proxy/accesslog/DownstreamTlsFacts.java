package dev.weft.proxy.accesslog;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.StringJoiner;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** What the access log reads of a downstream connection's TLS session; null on a plain connection. */
final class DownstreamTlsFacts {

    private static final int URI_SAN = 6;

    private DownstreamTlsFacts() {
    }

    private static SSLSession session(Channel connection) {
        SslHandler tls = connection == null ? null : connection.pipeline().get(SslHandler.class);
        return tls == null ? null : tls.engine().getSession();
    }

    /** {@code TLSv1.2}, {@code TLSv1.3}: the JDK's names are Envoy's. */
    static String version(Channel connection) {
        SSLSession s = session(connection);
        return s == null ? null : s.getProtocol();
    }

    static String requestedServerName(Channel connection) {
        if (session(connection) instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName();
                }
            }
        }
        return null;
    }

    static String peerUriSans(Channel connection) {
        SSLSession s = session(connection);
        if (s == null) {
            return null;
        }
        try {
            return uriSans(s.getPeerCertificates());
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    /** Envoy's {@code connection.mtls}: TLS with a certificate the peer presented. */
    static boolean peerCertificatePresented(Channel connection) {
        SSLSession s = session(connection);
        if (s == null) {
            return false;
        }
        try {
            return s.getPeerCertificates().length > 0;
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }

    static String localUriSans(Channel connection) {
        SSLSession s = session(connection);
        return s == null ? null : uriSans(s.getLocalCertificates());
    }

    static String peerSubject(Channel connection) {
        SSLSession s = session(connection);
        if (s == null) {
            return null;
        }
        try {
            Certificate[] chain = s.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf
                    ? leaf.getSubjectX500Principal().getName() : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    /** The leaf's URI SANs, comma-separated as Envoy prints them. */
    private static String uriSans(Certificate[] chain) {
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return null;
        }
        try {
            Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
            if (sans == null) {
                return null;
            }
            StringJoiner uris = new StringJoiner(",");
            for (List<?> san : sans) {
                if (san.size() == 2 && san.get(0) instanceof Integer type && type == URI_SAN) {
                    uris.add(String.valueOf(san.get(1)));
                }
            }
            return uris.length() == 0 ? null : uris.toString();
        } catch (CertificateParsingException e) {
            return null;
        }
    }
}
