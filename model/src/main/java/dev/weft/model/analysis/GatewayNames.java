package dev.weft.model.analysis;

import dev.weft.model.Resource;
import dev.weft.model.networking.VirtualService;
import java.util.List;

/** How VirtualServices name gateways: {@code ns/name}, a bare name in the rule's namespace, or {@code mesh}. */
final class GatewayNames {
  static final String MESH = "mesh";

  private GatewayNames() {}

  /** A gateway reference resolved to its namespace and name. */
  record GatewayRef(String namespace, String name) {
    @Override
    public String toString() {
      return namespace + "/" + name;
    }
  }

  static GatewayRef resolve(String reference, String ruleNamespace) {
    int slash = reference.indexOf('/');
    return slash < 0
        ? new GatewayRef(ruleNamespace, reference)
        : new GatewayRef(reference.substring(0, slash), reference.substring(slash + 1));
  }

  /** Whether the rule applies to sidecars: no gateways listed, or {@code mesh} among them. */
  static boolean appliesToMesh(Resource<VirtualService> vs) {
    List<String> gateways = vs.spec().gateways();
    return gateways.isEmpty() || gateways.contains(MESH);
  }
}
