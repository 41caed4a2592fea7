package dev.weft.xds.secret;

import dev.weft.model.networking.CredentialReference;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * SDS secrets for {@code credentialName} fields, named as Istio names them: {@code kubernetes://<name>} is the
 * credential's certificate and key, {@code kubernetes://<name>-cacert} the CA that checks peers: the credential's
 * own {@code ca.crt}, else that of a credential called {@code <name>-cacert} (Istio's two layouts). The proxy asks
 * the control plane for them over ADS. As istiod, the control plane looks the name up in the proxy's namespace (the
 * gateway workload's, not the Gateway resource's): {@code name} or {@code <its namespace>/name}, never another's.
 */
public final class CredentialSecrets {

    private static final String PREFIX = "kubernetes://";
    private static final String CA_SUFFIX = "-cacert";

    private CredentialSecrets() {
    }

    public static String certificateSecret(String credentialName) {
        return PREFIX + credentialName;
    }

    public static String caSecret(String credentialName) {
        return PREFIX + credentialName + CA_SUFFIX;
    }

    /** A secret the proxy asks the control plane for on its ADS stream. */
    public static SdsSecretConfig sdsConfig(String secretName) {
        return SdsSecretConfig.newBuilder()
                .setName(secretName)
                .setSdsConfig(ConfigSource.newBuilder()
                        .setAds(AggregatedConfigSource.getDefaultInstance())
                        .setResourceApiVersion(ApiVersion.V3))
                .build();
    }

    /**
     * The secrets of these names that the credentials hold for a proxy in {@code namespace}, sorted by name; other
     * names are left out.
     */
    public static List<Secret> resolve(Collection<String> secretNames, Credentials credentials, String namespace) {
        List<Secret> secrets = new ArrayList<>();
        for (String name : new TreeSet<>(secretNames)) {
            if (name.startsWith(PREFIX)) {
                CredentialReference reference = CredentialReference.parse(name.substring(PREFIX.length()));
                if (reference.visibleFrom(namespace)) {
                    secret(name, reference.name(), credentials, namespace).ifPresent(secrets::add);
                }
            }
        }
        return secrets;
    }

    private static Optional<Secret> secret(String secretName, String credentialName, Credentials credentials,
            String namespace) {
        if (credentialName.endsWith(CA_SUFFIX)) {
            String owner = credentialName.substring(0, credentialName.length() - CA_SUFFIX.length());
            Optional<Credential> ca = credentials.find(namespace, owner).filter(Credential::hasCa)
                    .or(() -> credentials.find(namespace, credentialName).filter(Credential::hasCa));
            if (ca.isPresent()) {
                return Optional.of(validation(secretName, ca.get()));
            }
        }
        return credentials.find(namespace, credentialName).filter(Credential::hasCertificate)
                .map(c -> Secret.newBuilder()
                        .setName(secretName)
                        .setTlsCertificate(TlsCertificate.newBuilder()
                                .setCertificateChain(DataSource.newBuilder().setInlineString(c.certificateChain()))
                                .setPrivateKey(DataSource.newBuilder().setInlineString(c.privateKey())))
                        .build());
    }

    private static Secret validation(String secretName, Credential ca) {
        return Secret.newBuilder().setName(secretName).setValidationContext(CertificateValidationContext.newBuilder()
                .setTrustedCa(DataSource.newBuilder().setInlineString(ca.caCertificates()))).build();
    }
}
