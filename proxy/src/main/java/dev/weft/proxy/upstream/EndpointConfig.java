package dev.weft.proxy.upstream;

import java.util.Map;

/**
 * One endpoint of a cluster as configured: address (an IP or, for DNS clusters, a name), port, weight, place, and
 * the {@code load_balancing_weight} of its locality (0 when unset). A {@code pipe} endpoint is a Unix domain socket:
 * {@code address} is its path and {@code port} is 0. {@code socketMatch} is its
 * {@code envoy.transport_socket_match} metadata, which picks one of the cluster's transport sockets.
 */
public record EndpointConfig(String address, int port, int weight, int priority, String locality, int localityWeight,
        boolean pipe, Map<String, String> socketMatch) {

    public EndpointConfig {
        socketMatch = Map.copyOf(socketMatch);
    }

    public EndpointConfig(String address, int port, int weight, int priority, String locality, int localityWeight) {
        this(address, port, weight, priority, locality, localityWeight, false, Map.of());
    }

    public EndpointConfig(String address, int port, int weight, int priority, String locality) {
        this(address, port, weight, priority, locality, 0);
    }
}
