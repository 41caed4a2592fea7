package dev.weft.controlplane.ca;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * weftd's certificate on its xDS and CA port (istiod's on 15012), issued by weftd's own CA for the names proxies
 * dial it by. The key is made here and never written anywhere. As a key manager it gives each new TLS handshake
 * the current certificate, so a renewal (at half the certificate's life, as Istio renews) reaches new connections
 * while open ones keep the certificate they were accepted with.
 */
public final class ServingCertificate extends X509ExtendedKeyManager {

    /** istiod's own certificate lives as long as a workload's. */
    public static final Duration TTL = CertificateAuthority.DEFAULT_WORKLOAD_TTL;
    /**
     * The names Istio gives istiod (a proxy's bootstrap sends {@code istiod.istio-system.svc} as SNI and checks the
     * certificate against it), and the loopback weftd listens on by default.
     */
    public static final List<String> ISTIOD_NAMES = List.of("istiod.istio-system.svc",
            "istiod.istio-system.svc.cluster.local", "istiod", "localhost", "127.0.0.1");

    /**
     * One issued certificate; its alias is unique, so a handshake never mixes one certificate with another's key.
     * {@code renewAt} is half its life after it was issued, on this class's clock.
     */
    private record Issued(String alias, PrivateKey key, X509Certificate[] chain, Instant renewAt) {
    }

    private final CertificateAuthority ca;
    private final List<String> names;
    private final Clock clock;
    private volatile Issued current;
    /** A handshake that chose its alias just before a renewal still finds its certificate. */
    private volatile Issued previous;

    /** Issues the first certificate now. {@code clock} decides when a renewal is due. */
    public ServingCertificate(CertificateAuthority ca, List<String> names, Clock clock) {
        this.ca = ca;
        this.names = List.copyOf(names);
        this.clock = clock;
        renew();
    }

    /** Issues a new certificate once half of the current one's life has passed; true when it did. */
    public boolean renewIfDue() {
        if (clock.instant().isBefore(current.renewAt())) {
            return false;
        }
        renew();
        return true;
    }

    /** The certificate new connections get. */
    public X509Certificate leaf() {
        return current.chain()[0];
    }

    private void renew() {
        KeyPair key;
        try {
            key = CertificateAuthority.newKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a key for weftd's serving certificate", e);
        }
        List<X509Certificate> chain = ca.issueServing(key.getPublic(), names, TTL);
        X509Certificate leaf = chain.getFirst();
        Duration life = Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
        Issued issued = new Issued("weftd-" + leaf.getSerialNumber().toString(16), key.getPrivate(),
                chain.toArray(X509Certificate[]::new), clock.instant().plus(life.dividedBy(2)));
        previous = current;
        current = issued;
    }

    private Issued find(String alias) {
        Issued now = current;
        if (now.alias().equals(alias)) {
            return now;
        }
        Issued before = previous;
        return before != null && before.alias().equals(alias) ? before : null;
    }

    /** Netty's OpenSSL engine asks for key types such as "EC_EC" (an EC key under an EC signer). */
    private String aliasFor(String keyType) {
        Issued now = current;
        String algorithm = now.key().getAlgorithm();
        return keyType == null || keyType.equals(algorithm) || keyType.startsWith(algorithm + "_") ? now.alias() : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = aliasFor(keyType);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Issued issued = find(alias);
        return issued == null ? null : issued.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Issued issued = find(alias);
        return issued == null ? null : issued.key();
    }

    /** weftd is never a TLS client with this certificate. */
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
