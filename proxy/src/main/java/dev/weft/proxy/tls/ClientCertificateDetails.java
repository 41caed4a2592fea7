package dev.weft.proxy.tls;

import io.netty.handler.ssl.SslHandler;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * One element of {@code x-forwarded-client-cert} as Envoy writes it for a mutual TLS connection:
 * {@code By=<our URI SAN>;Hash=<sha256 of the client certificate>} and then the parts the connection manager's
 * set_current_client_cert_details asks for, in Envoy's order (Subject, Cert, Chain, DNS, URI).
 */
public record ClientCertificateDetails(boolean subject, boolean cert, boolean chain, boolean dns, boolean uri) {

    /** The element for this connection, or null when the client presented no verified certificate. */
    public String element(SslHandler tls) {
        if (tls == null) {
            return null;
        }
        SSLSession session = tls.engine().getSession();
        Certificate[] peer;
        try {
            peer = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
        if (peer.length == 0 || !(peer[0] instanceof X509Certificate leaf)) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        Certificate[] local = session.getLocalCertificates();
        if (local != null && local.length > 0 && local[0] instanceof X509Certificate own) {
            String by = SubjectAltNames.first(own, SubjectAltNames.URI);
            if (by != null) {
                parts.add("By=" + by);
            }
        }
        try {
            parts.add("Hash=" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded())));
            if (subject) {
                parts.add("Subject=\"" + leaf.getSubjectX500Principal().getName() + "\"");
            }
            if (cert) {
                parts.add("Cert=\"" + urlEncodedPem(List.of(leaf)) + "\"");
            }
            if (chain) {
                List<X509Certificate> all = new ArrayList<>();
                for (Certificate c : peer) {
                    all.add((X509Certificate) c);
                }
                parts.add("Chain=\"" + urlEncodedPem(all) + "\"");
            }
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode the client certificate", e);
        }
        if (dns) {
            SubjectAltNames.all(leaf, SubjectAltNames.DNS).forEach(name -> parts.add("DNS=" + name));
        }
        if (uri) {
            // The key is there even when the certificate has no URI SAN, as in Envoy.
            String first = SubjectAltNames.first(leaf, SubjectAltNames.URI);
            parts.add("URI=" + (first == null ? "" : first));
        }
        return String.join(";", parts);
    }

    private static String urlEncodedPem(List<X509Certificate> certificates) throws CertificateEncodingException {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate c : certificates) {
            pem.append(Pem.certificate(c));
        }
        return URLEncoder.encode(pem.toString(), StandardCharsets.UTF_8).replace("+", "%20");
    }
}
