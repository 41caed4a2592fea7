package dev.weft.xds.listener;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.xds.push.MeshSettings;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;

/**
 * Istio's {@code server} response header on every connection manager: {@code server_name: istio-envoy} (Istio's
 * tooling and tests look for it), or what the mesh config's {@code defaultConfig.proxyHeaders.server} says: another
 * {@code value}, or {@code disabled} for the upstream's own header ({@code server_header_transformation:
 * PASS_THROUGH}), as Istio's ProxyHeaders do.
 */
final class ServerHeaders {

    private ServerHeaders() {
    }

    static Listener apply(Listener listener, MeshSettings.ServerHeader server) {
        Listener.Builder named = listener.toBuilder();
        named.getFilterChainsBuilderList().forEach(chain -> apply(chain, server));
        if (named.hasDefaultFilterChain()) {
            apply(named.getDefaultFilterChainBuilder(), server);
        }
        return named.build();
    }

    private static void apply(FilterChain.Builder chain, MeshSettings.ServerHeader server) {
        for (Filter.Builder filter : chain.getFiltersBuilderList()) {
            if (!filter.getTypedConfig().is(HttpConnectionManager.class)) {
                continue;
            }
            try {
                HttpConnectionManager.Builder hcm = filter.getTypedConfig().unpack(HttpConnectionManager.class)
                        .toBuilder();
                if (server.passThrough()) {
                    hcm.setServerHeaderTransformation(HttpConnectionManager.ServerHeaderTransformation.PASS_THROUGH);
                } else {
                    hcm.setServerName(server.name());
                }
                filter.setTypedConfig(Any.pack(hcm.build()));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("a generated connection manager does not parse", e);
            }
        }
    }
}
