package dev.weft.kube.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;

/** One admission webhook: the {@code request} of an AdmissionReview v1 in, the response (its uid set by the server). */
public interface AdmissionHandler {

    AdmissionResponse review(JsonNode request);
}
