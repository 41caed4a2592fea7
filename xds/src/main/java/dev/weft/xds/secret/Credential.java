package dev.weft.xds.secret;

/**
 * One TLS credential as a Kubernetes TLS Secret holds it (PEM text, empty when absent): {@code tls.crt} and
 * {@code tls.key} for a certificate, {@code ca.crt} to check peers (revocation lists are not read: weft-proxy does
 * not check them).
 */
public record Credential(String certificateChain, String privateKey, String caCertificates) {

    public boolean hasCertificate() {
        return !certificateChain.isEmpty() && !privateKey.isEmpty();
    }

    public boolean hasCa() {
        return !caCertificates.isEmpty();
    }
}
