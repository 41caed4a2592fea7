package dev.weft.kube.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.kube.inject.InjectionPolicy;
import dev.weft.kube.inject.InjectionRefused;
import dev.weft.kube.inject.SidecarInjector;
import dev.weft.kube.inject.WorkloadNames;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;

/**
 * The mutating webhook ({@code /inject}): a pod the policy selects gets the sidecar as a JSON patch; any other is
 * allowed unchanged; a pod whose annotations cannot be honoured is refused with the reason, as Istio's injector does.
 */
public final class InjectionWebhook implements AdmissionHandler {

    private final SidecarInjector injector;
    private final Function<String, Map<String, String>> namespaceLabels;
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    /** {@code namespaceLabels} gives a namespace's labels (none for an unknown namespace). */
    public InjectionWebhook(SidecarInjector injector, Function<String, Map<String, String>> namespaceLabels) {
        this.injector = injector;
        this.namespaceLabels = namespaceLabels;
    }

    @Override
    public AdmissionResponse review(JsonNode request) {
        JsonNode object = request.path("object");
        if (!object.path("kind").asText("Pod").equals("Pod") || object.isMissingNode()) {
            return allowed().build();
        }
        Pod pod = serialization.convertValue(object, Pod.class);
        // A pod being created has no namespace of its own yet: the request carries it.
        String namespace = request.path("namespace").asText(pod.getMetadata().getNamespace());
        if (!InjectionPolicy.required(pod, namespace, namespaceLabels.apply(namespace),
                injector.settings().revision())) {
            return allowed().build();
        }
        Pod injected;
        try {
            injected = injector.inject(pod, WorkloadNames.of(pod));
        } catch (InjectionRefused e) {
            return new AdmissionResponseBuilder().withAllowed(false).withStatus(new StatusBuilder().withCode(400)
                    .withMessage("injection failed: " + e.getMessage()).build()).build();
        }
        JsonNode patch = PodPatch.between(pod, injected);
        return allowed().withPatchType("JSONPatch").withPatch(Base64.getEncoder()
                .encodeToString(patch.toString().getBytes(StandardCharsets.UTF_8))).build();
    }

    private static AdmissionResponseBuilder allowed() {
        return new AdmissionResponseBuilder().withAllowed(true);
    }
}
