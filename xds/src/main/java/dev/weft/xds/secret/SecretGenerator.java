package dev.weft.xds.secret;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.xds.cluster.ClusterGenerator;
import dev.weft.xds.listener.ListenerGenerator;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.PushContext;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * SDS over ADS: the credential secrets this proxy's own listeners and clusters name with an ADS source, and no
 * others, so a private key only goes to a proxy whose config uses it (Istio's gateway authorization, in spirit), and
 * only a credential of the proxy's own namespace or a mesh-wide one.
 * Names the credentials do not hold are left out: the proxy's chain keeps warming until they appear.
 */
public final class SecretGenerator {

    private SecretGenerator() {
    }

    public static List<Secret> generate(PushContext push, ProxyNode proxy) {
        if (push.credentials().isEmpty()) {
            return List.of();
        }
        Set<String> names = new TreeSet<>();
        for (Listener listener : ListenerGenerator.generate(push, proxy)) {
            listener.getFilterChainsList().stream().map(FilterChain::getTransportSocket)
                    .forEach(socket -> addAdsSecrets(socket, names));
            addAdsSecrets(listener.getDefaultFilterChain().getTransportSocket(), names);
        }
        for (Cluster cluster : ClusterGenerator.generate(push, proxy)) {
            addAdsSecrets(cluster.getTransportSocket(), names);
            cluster.getTransportSocketMatchesList().forEach(m -> addAdsSecrets(m.getTransportSocket(), names));
        }
        return CredentialSecrets.resolve(names, push.credentials(), proxy.namespace());
    }

    private static void addAdsSecrets(TransportSocket socket, Set<String> names) {
        try {
            if (socket.getTypedConfig().is(DownstreamTlsContext.class)) {
                addAdsSecrets(socket.getTypedConfig().unpack(DownstreamTlsContext.class).getCommonTlsContext(), names);
            } else if (socket.getTypedConfig().is(UpstreamTlsContext.class)) {
                addAdsSecrets(socket.getTypedConfig().unpack(UpstreamTlsContext.class).getCommonTlsContext(), names);
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a generated transport socket does not parse", e);
        }
    }

    private static void addAdsSecrets(CommonTlsContext common, Set<String> names) {
        List<SdsSecretConfig> configs = new ArrayList<>(common.getTlsCertificateSdsSecretConfigsList());
        configs.add(common.getValidationContextSdsSecretConfig());
        configs.add(common.getCombinedValidationContext().getValidationContextSdsSecretConfig());
        configs.stream().filter(c -> c.getSdsConfig().hasAds()).forEach(c -> names.add(c.getName()));
    }
}
