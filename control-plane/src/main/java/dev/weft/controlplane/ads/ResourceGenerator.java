package dev.weft.controlplane.ads;

import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.scope.ProxyScope;

/**
 * Produces the resources of one type for one proxy from the current push snapshot.
 * Must be pure and deterministic: the ADS server compares outputs to decide whether to send. Proxies of one
 * {@link ProxyScope} may be given the same result.
 */
public interface ResourceGenerator {

    PackedResources generate(ProxyNode proxy, ProxyScope scope, XdsType type);
}
