package dev.weft.proxy.upstream;

/**
 * One endpoint of a cluster as configured: address (an IP or, for DNS clusters, a name), port, weight, place, and
 * the {@code load_balancing_weight} of its locality (0 when unset).
 */
public record EndpointConfig(String address, int port, int weight, int priority, String locality, int localityWeight) {

    public EndpointConfig(String address, int port, int weight, int priority, String locality) {
        this(address, port, weight, priority, locality, 0);
    }
}
