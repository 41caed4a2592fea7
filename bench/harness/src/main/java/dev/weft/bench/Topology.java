package dev.weft.bench;

/**
 * How a system's proxies stand between the client and the upstream: one proxy, or two chained as an outbound and
 * an inbound sidecar (Istio's pod-to-pod path), with plain HTTP or mutual TLS between them.
 */
enum Topology {
    ONE_HOP,
    TWO_HOPS_MTLS,
    TWO_HOPS_PLAIN;

    boolean isTwoHops() {
        return this != ONE_HOP;
    }
}
