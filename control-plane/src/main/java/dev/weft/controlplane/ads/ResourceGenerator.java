package dev.weft.controlplane.ads;

import dev.weft.xds.mesh.ProxyNode;
import io.envoyproxy.envoy.config.core.v3.Node;

/**
 * Produces the resources of one type for one proxy from the current push snapshot.
 * Must be pure and deterministic: the ADS server compares outputs to decide whether to send. {@code node} is the
 * Envoy node the proxy sent, from which a generator may tell which proxies can share a result.
 */
public interface ResourceGenerator {

    PackedResources generate(ProxyNode proxy, Node node, XdsType type);
}
