package dev.weft.proxy.upstream;

/**
 * One endpoint of a cluster as configured: address (an IP or, for DNS clusters, a name), port, weight, place, and
 * the {@code load_balancing_weight} of its locality (0 when unset). A {@code pipe} endpoint is a Unix domain socket:
 * {@code address} is its path and {@code port} is 0.
 */
public record EndpointConfig(String address, int port, int weight, int priority, String locality, int localityWeight,
        boolean pipe) {

    public EndpointConfig(String address, int port, int weight, int priority, String locality, int localityWeight) {
        this(address, port, weight, priority, locality, localityWeight, false);
    }

    public EndpointConfig(String address, int port, int weight, int priority, String locality) {
        this(address, port, weight, priority, locality, 0);
    }
}
