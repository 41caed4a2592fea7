package dev.weft.xds.scope;

import dev.weft.xds.mesh.ProxyNode;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Objects;

/**
 * What of a proxy's Envoy node its generated xDS can depend on: the node with the attributes that tell replicas of
 * one workload apart removed (the pod name and instance IPs in the node ID and metadata). Within one PushContext,
 * proxies with equal scopes get identical clusters, endpoints, listeners and routes, so a control plane generates
 * once per scope and shares the result.
 *
 * <p>It is built by removal, not by picking fields: any node attribute a generator may start to read (labels,
 * namespace, Sidecar selection, locality, metadata) stays part of the scope unless it is named here.
 * {@code ProxyScopeTest} checks the claim against every golden config. A local-runtime sidecar
 * ({@value ProxyNode#LOCAL_PORTS_KEY}) binds its listeners on its own address, so its IPs stay in its scope.
 */
public record ProxyScope(Node node) {

    /** Node metadata that names the pod or its addresses (Istio's agent sends NAME and INSTANCE_IPS). */
    private static final String POD_NAME = "NAME";
    private static final String INSTANCE_IPS = "INSTANCE_IPS";

    public ProxyScope {
        Objects.requireNonNull(node, "node");
    }

    public static ProxyScope of(Node node) {
        boolean local = node.getMetadata().containsFields(ProxyNode.LOCAL_PORTS_KEY);
        Node.Builder scope = node.toBuilder();
        String[] parts = node.getId().split("~", -1);
        if (parts.length == 4) {
            int dot = parts[2].lastIndexOf('.');
            String namespace = dot < 0 ? "" : parts[2].substring(dot + 1);
            scope.setId(parts[0] + "~" + (local ? parts[1] : "") + "~" + namespace + "~" + parts[3]);
        }
        scope.getMetadataBuilder().removeFields(POD_NAME);
        if (!local) {
            scope.getMetadataBuilder().removeFields(INSTANCE_IPS);
        }
        return new ProxyScope(scope.build());
    }
}
