package dev.weft.proxy.tls;

import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** What a downstream TLS connection says about its peer and what it asked for, as authorization reads it. */
public final class PeerCertificates {

    private static final int DNS = 2;
    private static final int URI = 6;

    private PeerCertificates() {
    }

    /**
     * The peer's principal as Envoy's RBAC {@code authenticated} principal reads it: the first URI SAN of the peer
     * certificate (a SPIFFE ID in a mesh), else the first DNS SAN, else the subject; null without a verified peer
     * certificate.
     */
    public static String principal(SslHandler tls) {
        if (tls == null) {
            return null;
        }
        try {
            Certificate[] chain = tls.engine().getSession().getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                return null;
            }
            String uri = firstName(leaf, URI);
            if (uri != null) {
                return uri;
            }
            String dns = firstName(leaf, DNS);
            return dns != null ? dns : leaf.getSubjectX500Principal().getName();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    /** The server name (SNI) the client asked for, or null. */
    public static String requestedServerName(SslHandler tls) {
        if (tls == null) {
            return null;
        }
        SSLSession session = tls.engine().getSession();
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName();
                }
            }
        }
        return null;
    }

    private static String firstName(X509Certificate cert, int type) {
        try {
            Collection<List<?>> names = cert.getSubjectAlternativeNames();
            if (names == null) {
                return null;
            }
            for (List<?> name : names) {
                if (name.size() == 2 && name.get(0) instanceof Integer t && t == type && name.get(1) instanceof String s) {
                    return s;
                }
            }
            return null;
        } catch (CertificateParsingException e) {
            return null;
        }
    }
}
