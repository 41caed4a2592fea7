package dev.weft.model.analysis;

import dev.weft.model.Resource;
import dev.weft.model.analysis.Workloads.Workload;
import dev.weft.model.kube.Namespace;
import dev.weft.model.networking.Sidecar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A workload gets exactly one Sidecar: one with a selector that picks it, else its namespace's one
 * Sidecar without a selector. Selectors that pick nothing, several Sidecars for one workload, several
 * selector-less Sidecars in a namespace, and Sidecars for ambient workloads (no sidecar to configure)
 * are reported.
 */
final class SidecarSelectorAnalyzer implements Analyzer {
  static final String DATAPLANE_MODE_LABEL = "istio.io/dataplane-mode";

  @Override
  public String name() {
    return "sidecar.SelectorAnalyzer";
  }

  @Override
  public void analyze(AnalysisContext context) {
    Map<String, List<Resource<Sidecar>>> withoutSelector = new LinkedHashMap<>();
    Map<Workload, List<Resource<Sidecar>>> sidecarsByWorkload = new LinkedHashMap<>();
    for (Resource<Sidecar> sidecar : context.snapshot().sidecars()) {
      Map<String, String> selector = selectorOf(sidecar);
      if (selector.isEmpty()) {
        withoutSelector.computeIfAbsent(sidecar.namespace(), ns -> new ArrayList<>()).add(sidecar);
        if (ambientNamespace(context, sidecar.namespace())) {
          context.report(sidecar, "", MessageType.INEFFECTIVE_POLICY,
              "namespace " + sidecar.namespace() + " is in ambient mode, which has no sidecars to configure");
        }
        continue;
      }
      List<Workload> selected = context.workloads().selectedIn(sidecar.namespace(), selector);
      if (selected.isEmpty()) {
        context.report(sidecar, "spec.workloadSelector", MessageType.REFERENCED_RESOURCE_NOT_FOUND,
            "selector", sidecar.namespace() + "/" + Selectors.text(selector));
        continue;
      }
      if (selected.stream().allMatch(Workload::ambient)) {
        context.report(sidecar, "spec.workloadSelector", MessageType.INEFFECTIVE_POLICY,
            "the workloads it selects are in ambient mode, which has no sidecars to configure");
      }
      selected.forEach(w -> sidecarsByWorkload.computeIfAbsent(w, k -> new ArrayList<>()).add(sidecar));
    }
    withoutSelector.forEach((namespace, sidecars) -> {
      if (sidecars.size() > 1) {
        List<String> names = sidecars.stream().map(Resource::name).toList();
        sidecars.forEach(sidecar -> context.report(sidecar, "",
            MessageType.MULTIPLE_SIDECARS_WITHOUT_WORKLOAD_SELECTORS, names, namespace));
      }
    });
    sidecarsByWorkload.forEach((workload, sidecars) -> {
      if (sidecars.size() > 1) {
        List<String> names = sidecars.stream().map(Resource::name).toList();
        sidecars.forEach(sidecar -> context.report(sidecar, "spec.workloadSelector",
            MessageType.CONFLICTING_SIDECAR_WORKLOAD_SELECTORS, names, workload.namespace(),
            workload.name()));
      }
    });
  }

  private static Map<String, String> selectorOf(Resource<Sidecar> sidecar) {
    return sidecar.spec().workloadSelector() == null ? Map.of() : sidecar.spec().workloadSelector().labels();
  }

  /** Ambient unless the namespace also asks for sidecar injection (by label or revision). */
  private static boolean ambientNamespace(AnalysisContext context, String namespace) {
    for (Resource<Namespace> ns : context.snapshot().namespaces()) {
      if (!ns.name().equals(namespace)) {
        continue;
      }
      Map<String, String> labels = ns.metadata().labels();
      return "ambient".equals(labels.get(DATAPLANE_MODE_LABEL))
          && !"enabled".equals(labels.get("istio-injection"))
          && !labels.containsKey("istio.io/rev");
    }
    return false;
  }
}
