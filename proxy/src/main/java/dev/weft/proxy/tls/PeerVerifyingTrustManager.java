package dev.weft.proxy.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies a peer as Envoy does: the chain must lead to one of the trusted CAs, then (if any matchers are
 * configured) a SAN of the leaf must match one of them. Failing either fails the handshake.
 */
final class PeerVerifyingTrustManager extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager chainCheck;
    private final List<SubjectAltNameMatcher> subjectAltNames;

    private PeerVerifyingTrustManager(X509ExtendedTrustManager chainCheck, List<SubjectAltNameMatcher> subjectAltNames) {
        this.chainCheck = chainCheck;
        this.subjectAltNames = subjectAltNames;
    }

    static PeerVerifyingTrustManager of(ValidationMaterial validation) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        int i = 0;
        for (X509Certificate ca : validation.trustedCa()) {
            store.setCertificateEntry("ca-" + i++, ca);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager tm : factory.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return new PeerVerifyingTrustManager(x, validation.subjectAltNames());
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager available");
    }

    private void checkSubjectAltNames(X509Certificate[] chain) throws CertificateException {
        if (subjectAltNames.isEmpty()) {
            return;
        }
        for (SubjectAltNameMatcher m : subjectAltNames) {
            if (m.matches(chain[0])) {
                return;
            }
        }
        throw new CertificateException("peer certificate subject alt names match none of the configured matchers");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        chainCheck.checkClientTrusted(chain, authType, engine);
        checkSubjectAltNames(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        chainCheck.checkServerTrusted(chain, authType, engine);
        checkSubjectAltNames(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        chainCheck.checkClientTrusted(chain, authType, socket);
        checkSubjectAltNames(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        chainCheck.checkServerTrusted(chain, authType, socket);
        checkSubjectAltNames(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        chainCheck.checkClientTrusted(chain, authType);
        checkSubjectAltNames(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        chainCheck.checkServerTrusted(chain, authType);
        checkSubjectAltNames(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return chainCheck.getAcceptedIssuers();
    }
}
