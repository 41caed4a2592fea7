package dev.weft.kube.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonDiff;

/**
 * The JSON patch (RFC 6902) from a pod to its injected copy, as the mutating webhook answers it. Both sides are
 * written by the same serializer, so only what the injector changed is in it, and it applies to the object the
 * API server sent.
 */
public final class PodPatch {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private PodPatch() {
    }

    public static JsonNode between(Pod before, Pod after) {
        return JsonDiff.asJson(SERIALIZATION.convertValue(before, JsonNode.class),
                SERIALIZATION.convertValue(after, JsonNode.class));
    }
}
