package dev.weft.xds.secret;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One TLS credential as a Kubernetes TLS Secret holds it (PEM text, empty when absent): {@code tls.crt} and
 * {@code tls.key} for a certificate, {@code ca.crt} to check peers (revocation lists are not read: weft-proxy does
 * not check them).
 */
public record Credential(String certificateChain, String privateKey, String caCertificates) {

    /** Istio's keys for each part, in the order it reads them: a {@code kubernetes.io/tls} Secret's, then generic. */
    private static final List<String> CERTIFICATE_KEYS = List.of("tls.crt", "cert");
    private static final List<String> KEY_KEYS = List.of("tls.key", "key");
    private static final List<String> CA_KEYS = List.of("ca.crt", "cacert");

    /**
     * The credential held under Istio's keys by a Secret or a directory of files ({@code entry}: a key's text, or
     * null), or empty when it holds neither a certificate and key nor a CA (another kind of Secret).
     */
    public static Optional<Credential> fromEntries(Function<String, String> entry) {
        Credential credential = new Credential(first(entry, CERTIFICATE_KEYS), first(entry, KEY_KEYS),
                first(entry, CA_KEYS));
        return credential.hasCertificate() || credential.hasCa() ? Optional.of(credential) : Optional.empty();
    }

    private static String first(Function<String, String> entry, List<String> keys) {
        return keys.stream().map(entry).filter(value -> value != null).findFirst().orElse("");
    }

    public boolean hasCertificate() {
        return !certificateChain.isEmpty() && !privateKey.isEmpty();
    }

    public boolean hasCa() {
        return !caCertificates.isEmpty();
    }
}
