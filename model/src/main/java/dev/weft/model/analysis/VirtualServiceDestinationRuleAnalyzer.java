package dev.weft.model.analysis;

import dev.weft.model.Resource;
import dev.weft.model.networking.DestinationRule;
import dev.weft.model.networking.Subset;
import dev.weft.model.networking.VirtualService;

/** A destination's subset must be defined by a DestinationRule for its host visible to the rule. */
final class VirtualServiceDestinationRuleAnalyzer implements Analyzer {

  @Override
  public String name() {
    return "virtualservice.DestinationRuleAnalyzer";
  }

  @Override
  public void analyze(AnalysisContext context) {
    for (Resource<VirtualService> vs : context.snapshot().virtualServices()) {
      for (RouteDestinations.Entry entry : RouteDestinations.of(vs.spec())) {
        if (entry.subset().isEmpty() || subsetDefined(context, vs.namespace(), entry)) {
          continue;
        }
        String written = vs.origin().textOf(entry.path() + ".host").orElse(entry.host());
        context.report(vs, entry.path() + ".subset", MessageType.REFERENCED_RESOURCE_NOT_FOUND,
            "host+subset in destinationrule", entry.subset() + "+" + written);
      }
    }
  }

  private static boolean subsetDefined(AnalysisContext context, String namespace,
      RouteDestinations.Entry entry) {
    for (Resource<DestinationRule> dr : context.snapshot().destinationRules()) {
      DestinationRule rule = dr.spec();
      if (!HostPatterns.covers(rule.host(), entry.host())
          || !ExportScope.of(rule.exportTo(), dr.namespace()).visibleIn(namespace)) {
        continue;
      }
      for (Subset subset : rule.subsets()) {
        if (subset.name().equals(entry.subset())) {
          return true;
        }
      }
    }
    return false;
  }
}
