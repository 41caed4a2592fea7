package dev.weft.proxy.tls;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.util.Set;
import java.util.TreeSet;

/** The SDS secret names a listener or cluster refers to: what the ADS client subscribes to, what a rotation touches. */
public final class SecretReferences {

    private SecretReferences() {
    }

    public static Set<String> of(Listener listener) {
        Set<String> names = new TreeSet<>();
        for (FilterChain chain : listener.getFilterChainsList()) {
            add(chain.getTransportSocket(), names);
        }
        if (listener.hasDefaultFilterChain()) {
            add(listener.getDefaultFilterChain().getTransportSocket(), names);
        }
        return names;
    }

    public static Set<String> of(Cluster cluster) {
        Set<String> names = new TreeSet<>();
        add(cluster.getTransportSocket(), names);
        return names;
    }

    private static void add(TransportSocket socket, Set<String> names) {
        var any = socket.getTypedConfig();
        try {
            if (any.is(DownstreamTlsContext.class)) {
                add(any.unpack(DownstreamTlsContext.class).getCommonTlsContext(), names);
            } else if (any.is(UpstreamTlsContext.class)) {
                add(any.unpack(UpstreamTlsContext.class).getCommonTlsContext(), names);
            }
        } catch (InvalidProtocolBufferException e) {
            // The compiler reports it; a resource that does not parse names no secrets.
        }
    }

    private static void add(CommonTlsContext common, Set<String> names) {
        common.getTlsCertificateSdsSecretConfigsList().forEach(s -> names.add(s.getName()));
        if (common.hasValidationContextSdsSecretConfig()) {
            names.add(common.getValidationContextSdsSecretConfig().getName());
        }
        if (common.getCombinedValidationContext().hasValidationContextSdsSecretConfig()) {
            names.add(common.getCombinedValidationContext().getValidationContextSdsSecretConfig().getName());
        }
    }
}
