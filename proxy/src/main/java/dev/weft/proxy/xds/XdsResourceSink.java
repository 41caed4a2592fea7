package dev.weft.proxy.xds;

import dev.weft.proxy.config.ConfigError;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.List;

/** Where the ADS client delivers each state of the world; errors decide between ACK and NACK. */
public interface XdsResourceSink {

    List<ConfigError> clusters(List<Cluster> clusters);

    List<ConfigError> endpoints(List<ClusterLoadAssignment> assignments);

    List<ConfigError> listeners(List<Listener> listeners);

    List<ConfigError> routes(List<RouteConfiguration> routes);

    /** SDS secrets; a response adds or replaces the secrets it carries. */
    List<ConfigError> secrets(List<Secret> secrets);
}
