package dev.weft.xds.scope;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.xds.mesh.ProxyNode;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Objects;
import java.util.Set;

/**
 * The attributes of a proxy its generated xDS can depend on: its Envoy node without what tells replicas of one
 * workload apart (the pod name in the node ID and metadata), without labels no selector reads, and without its
 * instance IPs unless the config gives them a use ({@link ScopeRules}). Within one PushContext, proxies with equal
 * scopes get identical resources, so a control plane generates once per scope and shares the result.
 *
 * <p>It is built by removal, not by picking fields: any node attribute a generator may start to read (namespace,
 * type, locality, other metadata) stays part of the scope unless it is named here. {@code ProxyScopeTest} checks
 * the claim against every golden config. A local-runtime sidecar ({@value ProxyNode#LOCAL_PORTS_KEY}) binds its
 * listeners on its own address, so its IPs always stay in its scope.
 */
public record ProxyScope(Node node) {

    /** Node metadata that names the pod or its addresses (Istio's agent sends NAME and INSTANCE_IPS). */
    private static final String POD_NAME = "NAME";
    private static final String INSTANCE_IPS = "INSTANCE_IPS";
    private static final String LABELS = "LABELS";

    public ProxyScope {
        Objects.requireNonNull(node, "node");
    }

    static ProxyScope of(Node node, Set<String> labelKeys, boolean keepAddresses) {
        Node.Builder scope = withoutIdentity(node, keepAddresses);
        Value labels = node.getMetadata().getFieldsOrDefault(LABELS, Value.getDefaultInstance());
        if (labels.hasStructValue()) {
            Struct.Builder kept = Struct.newBuilder();
            labels.getStructValue().getFieldsMap().forEach((key, value) -> {
                if (labelKeys.contains(key)) {
                    kept.putFields(key, value);
                }
            });
            scope.getMetadataBuilder().putFields(LABELS, Value.newBuilder().setStructValue(kept).build());
        }
        return new ProxyScope(scope.build());
    }

    private static Node.Builder withoutIdentity(Node node, boolean keepAddresses) {
        boolean keepIps = keepAddresses || node.getMetadata().containsFields(ProxyNode.LOCAL_PORTS_KEY);
        Node.Builder scope = node.toBuilder();
        String[] parts = node.getId().split("~", -1);
        if (parts.length == 4) {
            int dot = parts[2].lastIndexOf('.');
            String namespace = dot < 0 ? "" : parts[2].substring(dot + 1);
            scope.setId(parts[0] + "~" + (keepIps ? parts[1] : "") + "~" + namespace + "~" + parts[3]);
        }
        scope.getMetadataBuilder().removeFields(POD_NAME);
        if (!keepIps) {
            scope.getMetadataBuilder().removeFields(INSTANCE_IPS);
        }
        return scope;
    }
}
