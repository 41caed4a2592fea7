package dev.weft.model.analysis;

import dev.weft.model.Resource;
import dev.weft.model.networking.VirtualService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sidecars cannot merge several VirtualServices for one host (only gateways do), so two mesh rules
 * for the same host that are visible in a common namespace give undefined routing.
 */
final class ConflictingMeshGatewayHostsAnalyzer implements Analyzer {

  @Override
  public String name() {
    return "virtualservice.ConflictingMeshGatewayHostsAnalyzer";
  }

  @Override
  public void analyze(AnalysisContext context) {
    List<Resource<VirtualService>> meshRules = context.snapshot().virtualServices().stream()
        .filter(GatewayNames::appliesToMesh)
        .toList();
    Map<Resource<VirtualService>, Conflict> conflicts = new LinkedHashMap<>();
    for (int i = 0; i < meshRules.size(); i++) {
      for (int j = i + 1; j < meshRules.size(); j++) {
        Resource<VirtualService> a = meshRules.get(i);
        Resource<VirtualService> b = meshRules.get(j);
        if (!ExportScope.of(a.spec().exportTo(), a.namespace())
            .overlaps(ExportScope.of(b.spec().exportTo(), b.namespace()))) {
          continue;
        }
        for (String host : a.spec().hosts()) {
          if (b.spec().hosts().contains(host)) {
            conflicts.computeIfAbsent(a, r -> new Conflict(host)).with(b);
            conflicts.computeIfAbsent(b, r -> new Conflict(host)).with(a);
          }
        }
      }
    }
    conflicts.forEach((vs, conflict) -> {
      List<String> names = new ArrayList<>();
      names.add(vs.namespace() + "/" + vs.name());
      conflict.others.forEach(other -> names.add(other.namespace() + "/" + other.name()));
      context.report(vs, "spec.hosts", MessageType.CONFLICTING_MESH_GATEWAY_VIRTUAL_SERVICE_HOSTS,
          String.join(",", names), conflict.host);
    });
  }

  /** The first host a rule conflicts on, and every rule it conflicts with. */
  private static final class Conflict {
    final String host;
    final Set<Resource<VirtualService>> others = new LinkedHashSet<>();

    Conflict(String host) {
      this.host = host;
    }

    void with(Resource<VirtualService> other) {
      others.add(other);
    }
  }
}
