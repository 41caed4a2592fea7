package dev.weft.kube.inject;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a pod gets a sidecar, as Istio decides: the pod's {@code sidecar.istio.io/inject} (label, else annotation)
 * says yes or no; otherwise its namespace's {@code istio-injection=enabled}, or the revision label
 * ({@code istio.io/rev}) of the namespace or the pod naming this control plane's revision. Pods on the host's
 * network, in the cluster's system namespaces, or already injected are never injected.
 */
public final class InjectionPolicy {

    public static final String INJECT = "sidecar.istio.io/inject";
    public static final String REVISION = "istio.io/rev";
    public static final String NAMESPACE_INJECTION = "istio-injection";
    private static final Set<String> IGNORED_NAMESPACES = Set.of("kube-system", "kube-public", "kube-node-lease",
            "local-path-storage");

    private InjectionPolicy() {
    }

    public static boolean required(Pod pod, String namespace, Map<String, String> namespaceLabels, String revision) {
        if (Boolean.TRUE.equals(pod.getSpec().getHostNetwork()) || IGNORED_NAMESPACES.contains(namespace)
                || annotations(pod).containsKey(SidecarInjector.STATUS)) {
            return false;
        }
        Optional<Boolean> podSays = podDecision(pod);
        if (podSays.isPresent() && !podSays.get()) {
            return false;
        }
        String namespaceInjection = namespaceLabels.get(NAMESPACE_INJECTION);
        if (namespaceInjection != null) {
            return namespaceInjection.equals("enabled");
        }
        String namespaceRevision = namespaceLabels.get(REVISION);
        if (namespaceRevision != null) {
            return namespaceRevision.equals(revision);
        }
        String podRevision = labels(pod).get(REVISION);
        if (podRevision != null) {
            return podRevision.equals(revision);
        }
        return podSays.orElse(false) && revision.equals("default");
    }

    /** The pod's own yes or no: the label wins over the annotation; anything else is no opinion. */
    private static Optional<Boolean> podDecision(Pod pod) {
        String value = labels(pod).getOrDefault(INJECT, annotations(pod).get(INJECT));
        if (value == null) {
            return Optional.empty();
        }
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "y", "yes", "on" -> Optional.of(true);
            case "false", "n", "no", "off" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    static Map<String, String> labels(Pod pod) {
        return pod.getMetadata() == null || pod.getMetadata().getLabels() == null ? Map.of()
                : pod.getMetadata().getLabels();
    }

    static Map<String, String> annotations(Pod pod) {
        return pod.getMetadata() == null || pod.getMetadata().getAnnotations() == null ? Map.of()
                : pod.getMetadata().getAnnotations();
    }
}
