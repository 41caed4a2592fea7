package dev.weft.proxy.upstream;

/** One endpoint of a cluster as configured: address (an IP or, for DNS clusters, a name), port, weight, place. */
public record EndpointConfig(String address, int port, int weight, int priority, String locality) {
}
