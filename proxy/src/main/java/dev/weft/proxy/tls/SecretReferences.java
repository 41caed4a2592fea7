package dev.weft.proxy.tls;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The SDS secret names a listener or cluster refers to: what a rotation touches, and (those served over ADS) what
 * the ADS client subscribes to. A secret whose sds_config names another source, such as Istio's {@code sds-grpc}
 * agent, comes from the proxy's own workload identity instead.
 */
public final class SecretReferences {

    private SecretReferences() {
    }

    public static Set<String> of(Listener listener) {
        return referenced(listener, false);
    }

    public static Set<String> of(Cluster cluster) {
        return referenced(cluster, false);
    }

    /** The secrets of the listener to ask the ADS server for. */
    public static Set<String> fromAds(Listener listener) {
        return referenced(listener, true);
    }

    /** The secrets of the cluster to ask the ADS server for. */
    public static Set<String> fromAds(Cluster cluster) {
        return referenced(cluster, true);
    }

    private static Set<String> referenced(Listener listener, boolean adsOnly) {
        Set<String> names = new TreeSet<>();
        for (FilterChain chain : listener.getFilterChainsList()) {
            add(chain.getTransportSocket(), names, adsOnly);
        }
        if (listener.hasDefaultFilterChain()) {
            add(listener.getDefaultFilterChain().getTransportSocket(), names, adsOnly);
        }
        return names;
    }

    private static Set<String> referenced(Cluster cluster, boolean adsOnly) {
        Set<String> names = new TreeSet<>();
        add(cluster.getTransportSocket(), names, adsOnly);
        cluster.getTransportSocketMatchesList().forEach(m -> add(m.getTransportSocket(), names, adsOnly));
        return names;
    }

    private static void add(TransportSocket socket, Set<String> names, boolean adsOnly) {
        var any = socket.getTypedConfig();
        try {
            if (TlsContextCompiler.DOWNSTREAM.isIn(any)) {
                add(TlsContextCompiler.DOWNSTREAM.unpack(any).getCommonTlsContext(), names, adsOnly);
            } else if (TlsContextCompiler.UPSTREAM.isIn(any)) {
                add(TlsContextCompiler.UPSTREAM.unpack(any).getCommonTlsContext(), names, adsOnly);
            }
        } catch (InvalidProtocolBufferException e) {
            // The compiler reports it; a resource that does not parse names no secrets.
        }
    }

    private static void add(CommonTlsContext common, Set<String> names, boolean adsOnly) {
        List<SdsSecretConfig> configs = new ArrayList<>(common.getTlsCertificateSdsSecretConfigsList());
        if (common.hasValidationContextSdsSecretConfig()) {
            configs.add(common.getValidationContextSdsSecretConfig());
        }
        if (common.getCombinedValidationContext().hasValidationContextSdsSecretConfig()) {
            configs.add(common.getCombinedValidationContext().getValidationContextSdsSecretConfig());
        }
        configs.stream().filter(c -> !adsOnly || !c.hasSdsConfig() || c.getSdsConfig().hasAds())
                .forEach(c -> names.add(c.getName()));
    }
}
