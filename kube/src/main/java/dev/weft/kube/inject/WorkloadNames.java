package dev.weft.kube.inject;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;

/**
 * The workload a pod belongs to, named as Istio names it (the canonical service when no label names one): a
 * Deployment's pod is named after the Deployment (its ReplicaSet's name without the template hash), another
 * controller's after that controller, a bare pod after itself (or its {@code generateName} prefix) — unless its
 * {@code service.istio.io/workload-name} label names it.
 */
public final class WorkloadNames {

    /** A pod's own word for its workload's name, which wins. */
    public static final String WORKLOAD_NAME = "service.istio.io/workload-name";

    private WorkloadNames() {
    }

    public static String of(Pod pod) {
        String named = labels(pod).get(WORKLOAD_NAME);
        if (named != null && !named.isEmpty()) {
            return named;
        }
        List<OwnerReference> owners = pod.getMetadata().getOwnerReferences() == null ? List.of()
                : pod.getMetadata().getOwnerReferences();
        OwnerReference controller = owners.stream().filter(o -> Boolean.TRUE.equals(o.getController())).findFirst()
                .orElse(null);
        if (controller != null) {
            String hash = labels(pod).get("pod-template-hash");
            if (controller.getKind().equals("ReplicaSet") && hash != null
                    && controller.getName().endsWith("-" + hash)) {
                return controller.getName().substring(0, controller.getName().length() - hash.length() - 1);
            }
            return controller.getName();
        }
        if (pod.getMetadata().getName() != null && !pod.getMetadata().getName().isEmpty()) {
            return pod.getMetadata().getName();
        }
        String generated = pod.getMetadata().getGenerateName();
        return generated == null ? "" : generated.endsWith("-") ? generated.substring(0, generated.length() - 1)
                : generated;
    }

    private static Map<String, String> labels(Pod pod) {
        return pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    }
}
