package dev.weft.proxy.tls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** What a downstream TLS connection says about its peer and what it asked for, as authorization reads it. */
public final class PeerCertificates {

    /** The principal, once read: a connection's peer certificate does not change, its requests need not parse it. */
    private static final AttributeKey<Optional<String>> PRINCIPAL = AttributeKey.valueOf("weft.peer-principal");

    private PeerCertificates() {
    }

    /**
     * The peer's principal as Envoy's RBAC {@code authenticated} principal reads it: the first URI SAN of the peer
     * certificate (a SPIFFE ID in a mesh), else the first DNS SAN, else the subject; null without a verified peer
     * certificate. Read once per connection, after its handshake.
     */
    public static String principal(Channel connection) {
        Attribute<Optional<String>> cached = connection.attr(PRINCIPAL);
        Optional<String> principal = cached.get();
        if (principal == null) {
            principal = Optional.ofNullable(principal(connection.pipeline().get(SslHandler.class)));
            cached.set(principal);
        }
        return principal.orElse(null);
    }

    private static String principal(SslHandler tls) {
        if (tls == null) {
            return null;
        }
        try {
            Certificate[] chain = tls.engine().getSession().getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                return null;
            }
            String uri = SubjectAltNames.first(leaf, SubjectAltNames.URI);
            if (uri != null) {
                return uri;
            }
            String dns = SubjectAltNames.first(leaf, SubjectAltNames.DNS);
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
}
