package dev.weft.model.analysis;

import dev.weft.model.ConfigSnapshot;
import dev.weft.model.Resource;
import dev.weft.model.kube.DeploymentSpec;
import dev.weft.model.kube.PodSpec;
import dev.weft.model.networking.WorkloadEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The workloads selectors can match: Pods, the pod templates of Deployments (files describe
 * workloads that way before anything runs), and WorkloadEntries.
 */
public final class Workloads {
  static final String AMBIENT_REDIRECTION_ANNOTATION = "ambient.istio.io/redirection";

  /** One workload: its name, namespace, labels and annotations. */
  public record Workload(String name, String namespace, Map<String, String> labels,
      Map<String, String> annotations) {

    boolean ambient() {
      return "enabled".equals(annotations.get(AMBIENT_REDIRECTION_ANNOTATION));
    }
  }

  private final List<Workload> workloads;

  Workloads(ConfigSnapshot snapshot) {
    List<Workload> all = new ArrayList<>();
    for (Resource<PodSpec> pod : snapshot.pods()) {
      all.add(new Workload(pod.name(), pod.namespace(), pod.metadata().labels(),
          pod.metadata().annotations()));
    }
    for (Resource<DeploymentSpec> deployment : snapshot.deployments()) {
      var template = deployment.spec().template();
      if (template != null && template.metadata() != null) {
        all.add(new Workload(deployment.name(), deployment.namespace(), template.metadata().labels(),
            template.metadata().annotations()));
      }
    }
    for (Resource<WorkloadEntry> entry : snapshot.workloadEntries()) {
      all.add(new Workload(entry.name(), entry.namespace(), entry.spec().labels(), Map.of()));
    }
    this.workloads = List.copyOf(all);
  }

  /** Workloads in {@code namespace} selected by {@code selector} (an empty selector selects all). */
  public List<Workload> selectedIn(String namespace, Map<String, String> selector) {
    return workloads.stream()
        .filter(w -> w.namespace().equals(namespace) && LabelSets.selects(selector, w.labels()))
        .toList();
  }

  /** Workloads in any namespace selected by {@code selector}. */
  public List<Workload> selectedAnywhere(Map<String, String> selector) {
    return workloads.stream().filter(w -> LabelSets.selects(selector, w.labels())).toList();
  }
}
