package dev.weft.proxy.tls;

import dev.weft.proxy.config.ConfigException;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** A parsed certificate chain and its private key; {@code chainSource} is the file it came from, or "<inline>". */
record CertificateMaterial(List<X509Certificate> chain, PrivateKey key, String chainSource) {

    CertificateMaterial {
        chain = List.copyOf(chain);
    }

    static CertificateMaterial of(TlsCertificate proto, String field) {
        if (!proto.hasCertificateChain() || !proto.hasPrivateKey()) {
            throw new ConfigException(field + " needs certificate_chain and private_key");
        }
        List<X509Certificate> chain = Pem.certificates(DataSources.read(proto.getCertificateChain(),
                field + ".certificate_chain"), field + ".certificate_chain");
        PrivateKey key = Pem.privateKey(DataSources.read(proto.getPrivateKey(), field + ".private_key"),
                field + ".private_key");
        Pem.requireMatchingKey(key, chain.get(0), field);
        return new CertificateMaterial(chain, key, DataSources.describe(proto.getCertificateChain()));
    }
}
