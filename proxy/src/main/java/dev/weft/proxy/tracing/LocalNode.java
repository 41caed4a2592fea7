package dev.weft.proxy.tracing;

/**
 * The proxy as its spans name it: Envoy's node id and zone tags, and the Zipkin service name (the node's cluster,
 * {@code <app>.<namespace>} for an Istio sidecar).
 */
public record LocalNode(String nodeId, String zone, String serviceName) {

    public static final LocalNode UNKNOWN = new LocalNode("", "", "weft-proxy");
}
