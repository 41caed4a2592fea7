package dev.weft.model.analysis;

import dev.weft.model.Resource;
import dev.weft.model.analysis.MeshServices.MeshService;
import dev.weft.model.networking.VirtualService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every destination host must be a service visible where the rule is (and everywhere it is exported
 * to); a port must exist on it, and must be named when the service has several. Gateway rules that
 * route to a host without a subset are told when a mesh rule for that host relies on subsets.
 */
final class VirtualServiceDestinationHostAnalyzer implements Analyzer {

  @Override
  public String name() {
    return "virtualservice.DestinationHostAnalyzer";
  }

  @Override
  public void analyze(AnalysisContext context) {
    Map<String, List<String>> subsetRulesByHost = meshRulesWithSubsetsByHost(context);
    for (Resource<VirtualService> vs : context.snapshot().virtualServices()) {
      for (RouteDestinations.Entry entry : RouteDestinations.of(vs.spec())) {
        checkHost(context, vs, entry);
      }
      if (!GatewayNames.appliesToMesh(vs)) {
        checkIngressSubsets(context, vs, subsetRulesByHost);
      }
    }
  }

  private static void checkHost(AnalysisContext context, Resource<VirtualService> vs,
      RouteDestinations.Entry entry) {
    String written = vs.origin().textOf(entry.path() + ".host").orElse(entry.host());
    List<String> namespaces = new ArrayList<>(List.of(vs.namespace()));
    ExportScope export = ExportScope.of(vs.spec().exportTo(), vs.namespace());
    if (!export.everywhere()) {
      namespaces.addAll(export.namespaces());
    }
    MeshService service = null;
    for (String namespace : namespaces) {
      List<MeshService> visible = context.services().visible(entry.host(), namespace);
      if (visible.isEmpty()) {
        context.report(vs, entry.path() + ".host", MessageType.REFERENCED_RESOURCE_NOT_FOUND, "host",
            written);
        return;
      }
      service = visible.getFirst();
    }
    if (entry.port() == 0) {
      if (service.ports().size() > 1) {
        context.report(vs, entry.path(), MessageType.VIRTUAL_SERVICE_DESTINATION_PORT_SELECTOR_REQUIRED,
            written, List.copyOf(service.ports().keySet()));
      }
    } else if (!service.ports().containsKey(entry.port())) {
      context.report(vs, entry.path() + ".port.number", MessageType.REFERENCED_RESOURCE_NOT_FOUND,
          "host+port", written + "+" + entry.port());
    }
  }

  /** For each host, the mesh (sidecar) rules that route it by subset, as {@code ns/name}. */
  private static Map<String, List<String>> meshRulesWithSubsetsByHost(AnalysisContext context) {
    Map<String, List<String>> rules = new HashMap<>();
    for (Resource<VirtualService> vs : context.snapshot().virtualServices()) {
      boolean usesSubsets = RouteDestinations.of(vs.spec()).stream().anyMatch(e -> !e.subset().isEmpty());
      if (!GatewayNames.appliesToMesh(vs) || !usesSubsets) {
        continue;
      }
      for (String host : vs.spec().hosts()) {
        rules.computeIfAbsent(host, h -> new ArrayList<>()).add(vs.namespace() + "/" + vs.name());
      }
    }
    return rules;
  }

  private static void checkIngressSubsets(AnalysisContext context, Resource<VirtualService> vs,
      Map<String, List<String>> subsetRulesByHost) {
    for (RouteDestinations.Entry entry : RouteDestinations.of(vs.spec())) {
      if (entry.mirror() || !entry.subset().isEmpty() || entry.destination() == null) {
        continue;
      }
      for (String meshRule : subsetRulesByHost.getOrDefault(entry.host(), List.of())) {
        context.report(vs, entry.path() + ".host", MessageType.INGRESS_ROUTE_RULES_NOT_AFFECTED,
            meshRule, vs.namespace() + "/" + vs.name());
      }
    }
  }
}
