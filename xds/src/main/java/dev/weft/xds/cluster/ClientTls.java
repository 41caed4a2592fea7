package dev.weft.xds.cluster;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import dev.weft.model.networking.ClientTLSMode;
import dev.weft.model.networking.ClientTLSSettings;
import dev.weft.xds.endpoint.EndpointGenerator;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.mesh.ProxyType;
import dev.weft.xds.mesh.Service;
import dev.weft.xds.mesh.ServiceInstances;
import dev.weft.xds.mesh.ServicePort;
import dev.weft.xds.mesh.WorkloadInstance;
import dev.weft.xds.push.MeshSettings;
import dev.weft.xds.push.PushContext;
import dev.weft.xds.secret.CredentialSecrets;
import dev.weft.xds.security.IstioMutualTls;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;
import java.util.TreeSet;

/**
 * The client side of TLS on an outbound cluster. A DestinationRule's {@code tls} decides when it is set
 * (DISABLE, SIMPLE, MUTUAL with files or a credentialName, ISTIO_MUTUAL); without one, auto mTLS: endpoints marked
 * {@code tlsMode: istio} (workloads with a sidecar whose PeerAuthentication does not disable mTLS on the port) get
 * Istio's mutual TLS and the rest plain text. Only a proxy with a workload certificate originates mesh mTLS.
 */
final class ClientTls {

    private ClientTls() {
    }

    static void apply(Cluster.Builder cluster, ClientTLSSettings tls, PushContext push, ProxyNode proxy,
            ServiceInstances instances, ServicePort port, String subset) {
        Service service = instances.service();
        String sni = tls != null && tls.sni() != null && !tls.sni().isEmpty() ? tls.sni()
                : ClusterNames.sniDnat(port.number(), subset, service.hostname());
        if (tls != null && tls.mode() != null) {
            switch (tls.mode()) {
                case ISTIO_MUTUAL -> {
                    if (proxy.hasWorkloadCertificate()) {
                        cluster.setTransportSocket(IstioMutualTls.upstream(sni, sans(tls, instances, push.mesh()),
                                port.protocol().isHttp2()));
                    }
                }
                case SIMPLE, MUTUAL -> cluster.setTransportSocket(originated(tls, proxy));
                default -> {
                    // DISABLE: plain text, whatever the endpoints accept.
                }
            }
            return;
        }
        if (!proxy.hasWorkloadCertificate()) {
            return;
        }
        cluster.addTransportSocketMatches(Cluster.TransportSocketMatch.newBuilder()
                .setName("tlsMode-istio")
                .setMatch(Struct.newBuilder().putFields("tlsMode",
                        com.google.protobuf.Value.newBuilder().setStringValue("istio").build()))
                .setTransportSocket(IstioMutualTls.upstream(sni, sans(null, instances, push.mesh()),
                        port.protocol().isHttp2())));
        cluster.addTransportSocketMatches(Cluster.TransportSocketMatch.newBuilder()
                .setName("tlsMode-disabled")
                .setMatch(Struct.getDefaultInstance())
                .setTransportSocket(TransportSocket.newBuilder().setName("envoy.transport_sockets.raw_buffer")
                        .setTypedConfig(Any.pack(RawBuffer.getDefaultInstance()))));
    }

    /** The DestinationRule's subjectAltNames, else the SPIFFE IDs of the accounts the service's workloads run as. */
    private static List<String> sans(ClientTLSSettings tls, ServiceInstances instances, MeshSettings mesh) {
        if (tls != null && !tls.subjectAltNames().isEmpty()) {
            return tls.subjectAltNames();
        }
        TreeSet<String> accounts = new TreeSet<>();
        for (WorkloadInstance workload : instances.workloads()) {
            if (EndpointGenerator.isMeshWorkload(workload)) {
                String account = workload.serviceAccount() == null || workload.serviceAccount().isEmpty()
                        ? "default" : workload.serviceAccount();
                accounts.add("ns/" + workload.namespace() + "/sa/" + account);
            }
        }
        return IstioMutualTls.spiffeIds(List.copyOf(accounts), mesh.trustDomain(), mesh.trustDomainAliases());
    }

    /**
     * SIMPLE or MUTUAL origination with certificates from files, or from the control plane by
     * {@code credentialName} ({@code kubernetes://name} for the client certificate of MUTUAL,
     * {@code kubernetes://name-cacert} for the CA), as a DestinationRule names them. As in Istio, a sidecar takes
     * {@code credentialName} only from a DestinationRule with a workloadSelector, which weft does not apply yet:
     * only gateways (the egress gateway's TLS origination) use it.
     */
    private static TransportSocket originated(ClientTLSSettings tls, ProxyNode proxy) {
        CommonTlsContext.Builder common = CommonTlsContext.newBuilder();
        boolean credential = present(tls.credentialName()) && proxy.type() == ProxyType.ROUTER;
        if (tls.mode() == ClientTLSMode.MUTUAL && credential) {
            common.addTlsCertificateSdsSecretConfigs(
                    CredentialSecrets.sdsConfig(CredentialSecrets.certificateSecret(tls.credentialName())));
        } else if (tls.mode() == ClientTLSMode.MUTUAL && present(tls.clientCertificate()) && present(tls.privateKey())) {
            common.addTlsCertificates(TlsCertificate.newBuilder()
                    .setCertificateChain(DataSource.newBuilder().setFilename(tls.clientCertificate()))
                    .setPrivateKey(DataSource.newBuilder().setFilename(tls.privateKey())));
        }
        if (!Boolean.TRUE.equals(tls.insecureSkipVerify())) {
            CertificateValidationContext.Builder validation = CertificateValidationContext.newBuilder();
            tls.subjectAltNames().forEach(san -> validation.addMatchSubjectAltNames(
                    StringMatcher.newBuilder().setExact(san)));
            if (credential) {
                common.setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                        .setDefaultValidationContext(validation)
                        .setValidationContextSdsSecretConfig(
                                CredentialSecrets.sdsConfig(CredentialSecrets.caSecret(tls.credentialName()))));
            } else if (present(tls.caCertificates()) || !tls.subjectAltNames().isEmpty()) {
                if (present(tls.caCertificates())) {
                    validation.setTrustedCa(DataSource.newBuilder().setFilename(tls.caCertificates()));
                }
                common.setValidationContext(validation);
            }
        }
        UpstreamTlsContext.Builder context = UpstreamTlsContext.newBuilder().setCommonTlsContext(common);
        if (present(tls.sni())) {
            context.setSni(tls.sni());
        }
        return TransportSocket.newBuilder().setName(IstioMutualTls.TLS_SOCKET)
                .setTypedConfig(Any.pack(context.build())).build();
    }

    private static boolean present(String value) {
        return value != null && !value.isEmpty();
    }
}
