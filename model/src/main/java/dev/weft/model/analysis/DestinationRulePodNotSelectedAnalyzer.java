package dev.weft.model.analysis;

import dev.weft.model.Resource;
import dev.weft.model.analysis.MeshServices.MeshService;
import dev.weft.model.networking.DestinationRule;
import dev.weft.model.networking.Subset;
import dev.weft.model.networking.VirtualService;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A DestinationRule's host must be a service visible to the rule, and each subset must select some
 * workload of that service (service selector plus subset labels), or traffic to it fails with 503 UH.
 * Unlike istioctl, an empty subset that no VirtualService routes to is a Warning, not an Error: it
 * cannot cause a 503 (Istio's own Bookinfo rules define such spare subsets, e.g. ratings v2-mysql).
 */
final class DestinationRulePodNotSelectedAnalyzer implements Analyzer {

  @Override
  public String name() {
    return "destinationrule.PodNotSelectedAnalyzer";
  }

  @Override
  public void analyze(AnalysisContext context) {
    Set<String> routed = routedSubsets(context);
    for (Resource<DestinationRule> dr : context.snapshot().destinationRules()) {
      DestinationRule spec = dr.spec();
      List<MeshService> services = context.services().visible(spec.host(), dr.namespace());
      if (services.isEmpty()) {
        context.report(dr, "spec.host", MessageType.UNKNOWN_DESTINATION_RULE_HOST,
            dr.origin().textOf("spec.host").orElse(spec.host()));
        continue;
      }
      MeshService service = services.getFirst();
      for (int i = 0; i < spec.subsets().size(); i++) {
        Subset subset = spec.subsets().get(i);
        Map<String, String> selector = new HashMap<>(service.selector());
        selector.putAll(subset.labels());
        if (context.workloads().selectedIn(service.namespace(), selector).isEmpty()) {
          Level level = routed.contains(service.host() + "|" + subset.name())
              ? MessageType.DESTINATION_RULE_SUBSET_NOT_SELECT_PODS.level()
              : Level.WARNING;
          context.reportAt(level, dr, "spec.subsets[" + i + "]",
              MessageType.DESTINATION_RULE_SUBSET_NOT_SELECT_PODS, subset.name());
        }
      }
    }
  }

  /** {@code host|subset} for every subset some VirtualService routes or mirrors to. */
  private static Set<String> routedSubsets(AnalysisContext context) {
    Set<String> routed = new HashSet<>();
    for (Resource<VirtualService> vs : context.snapshot().virtualServices()) {
      for (RouteDestinations.Entry entry : RouteDestinations.of(vs.spec())) {
        if (!entry.subset().isEmpty()) {
          context.services().visible(entry.host(), vs.namespace())
              .forEach(service -> routed.add(service.host() + "|" + entry.subset()));
        }
      }
    }
    return routed;
  }
}
