package dev.weft.xds.security;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;

/**
 * The TLS contexts of Istio's mesh mTLS, as Istio writes them: the workload certificate ({@code default}) and
 * the mesh root ({@code ROOTCA}) come over SDS from the proxy's own agent ({@code sds-grpc}), the client offers
 * Istio's ALPN values and checks the server's SPIFFE ID (secure naming), the server requires a client
 * certificate signed by the root.
 */
public final class IstioMutualTls {

    public static final String CERTIFICATE_SECRET = "default";
    public static final String ROOT_SECRET = "ROOTCA";
    public static final String SDS_CLUSTER = "sds-grpc";
    public static final String TLS_SOCKET = "envoy.transport_sockets.tls";
    /** What a sidecar offers: Istio's metadata exchange and in-mesh markers (h2 added for HTTP/2 upstreams). */
    public static final List<String> MESH_ALPN = List.of("istio-peer-exchange", "istio");
    /** What the server's mTLS chain matches on: any of Istio's in-mesh ALPN values. */
    public static final List<String> INBOUND_MATCH_ALPN = List.of("istio-peer-exchange", "istio", "istio-http/1.0",
            "istio-http/1.1", "istio-h2");

    private IstioMutualTls() {
    }

    /** ISTIO_MUTUAL origination to a service whose workloads run as {@code subjectAltNames} (none: any). */
    public static TransportSocket upstream(String sni, List<String> subjectAltNames, boolean http2) {
        CertificateValidationContext.Builder sans = CertificateValidationContext.newBuilder();
        subjectAltNames.forEach(san -> sans.addMatchSubjectAltNames(StringMatcher.newBuilder().setExact(san)));
        CommonTlsContext.Builder common = common()
                .setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                        .setDefaultValidationContext(sans)
                        .setValidationContextSdsSecretConfig(sds(ROOT_SECRET)))
                .addAllAlpnProtocols(MESH_ALPN);
        if (http2) {
            common.addAlpnProtocols("h2");
        }
        UpstreamTlsContext context = UpstreamTlsContext.newBuilder().setCommonTlsContext(common).setSni(sni).build();
        return TransportSocket.newBuilder().setName(TLS_SOCKET).setTypedConfig(Any.pack(context)).build();
    }

    /**
     * Inbound termination of mesh mTLS: a client certificate from the mesh root is required. A TCP port also offers
     * the metadata exchange's protocol first (Istio's {@code ALPNDownstreamWithMxc}), so a sidecar client that offers
     * it learns this workload and tells its own.
     */
    public static TransportSocket downstream(boolean http) {
        CommonTlsContext.Builder common = common()
                .setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                        .setDefaultValidationContext(CertificateValidationContext.getDefaultInstance())
                        .setValidationContextSdsSecretConfig(sds(ROOT_SECRET)));
        if (!http) {
            common.addAlpnProtocols(MESH_ALPN.getFirst());
        }
        common.addAlpnProtocols("h2").addAlpnProtocols("http/1.1");
        DownstreamTlsContext context = DownstreamTlsContext.newBuilder().setCommonTlsContext(common)
                .setRequireClientCertificate(com.google.protobuf.BoolValue.of(true)).build();
        return TransportSocket.newBuilder().setName(TLS_SOCKET).setTypedConfig(Any.pack(context)).build();
    }

    private static CommonTlsContext.Builder common() {
        return CommonTlsContext.newBuilder()
                .setTlsParams(TlsParameters.newBuilder()
                        .setTlsMinimumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_2)
                        .setTlsMaximumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_3))
                .addTlsCertificateSdsSecretConfigs(sds(CERTIFICATE_SECRET));
    }

    /** A secret from the proxy's agent, waited for without a timeout as Istio does. */
    public static SdsSecretConfig sds(String name) {
        return SdsSecretConfig.newBuilder().setName(name).setSdsConfig(ConfigSource.newBuilder()
                .setApiConfigSource(ApiConfigSource.newBuilder()
                        .setApiType(ApiConfigSource.ApiType.GRPC)
                        .setSetNodeOnFirstMessageOnly(true)
                        .setTransportApiVersion(ApiVersion.V3)
                        .addGrpcServices(GrpcService.newBuilder().setEnvoyGrpc(
                                GrpcService.EnvoyGrpc.newBuilder().setClusterName(SDS_CLUSTER))))
                .setInitialFetchTimeout(com.google.protobuf.Duration.getDefaultInstance())
                .setResourceApiVersion(ApiVersion.V3)).build();
    }

    /** The SPIFFE IDs a service's workloads may present: each account in the trust domain and its aliases. */
    public static List<String> spiffeIds(List<String> accounts, String trustDomain, List<String> aliases) {
        List<String> ids = new java.util.ArrayList<>();
        for (String account : accounts) {
            ids.add("spiffe://" + trustDomain + "/" + account);
            aliases.forEach(alias -> ids.add("spiffe://" + alias + "/" + account));
        }
        return ids;
    }
}
