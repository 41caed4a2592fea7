package dev.weft.kube.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.kube.config.KubeObject;
import dev.weft.model.ConfigError;
import dev.weft.model.Kind;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validating webhook ({@code /validate}): an Istio resource is parsed and validated by the model's loader, as
 * a file in the watched directory or an object the informers see, and refused with the same findings
 * ({@code configuration is invalid: <path>: <message>}, as Istio's webhook words it); its warnings travel as
 * admission warnings. Other kinds and deletions are allowed.
 */
public final class ValidationWebhook implements AdmissionHandler {

    private final ConfigLoader loader;
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    public ValidationWebhook(ConfigLoader loader) {
        this.loader = loader;
    }

    @Override
    @SuppressWarnings("unchecked")
    public AdmissionResponse review(JsonNode request) {
        JsonNode object = request.path("object");
        if (request.path("operation").asText().equals("DELETE") || !object.isObject()) {
            return new AdmissionResponseBuilder().withAllowed(true).build();
        }
        String apiVersion = object.path("apiVersion").asText();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        Optional<Kind> kind = Kind.find(group, object.path("kind").asText()).filter(Kind::isIstio);
        if (kind.isEmpty()) {
            return new AdmissionResponseBuilder().withAllowed(true).build();
        }
        Map<String, Object> tree = serialization.convertValue(object, Map.class);
        String namespace = object.path("metadata").path("namespace").asText(request.path("namespace").asText());
        String name = object.path("metadata").path("name").asText();
        String origin = "kube:" + kind.get().kindName() + "/" + namespace + "/" + name;
        LoadResult result = loader.loadString(serialization.asYaml(KubeObject.reduce(kind.get(), tree)), origin);
        List<String> errors = result.errors().stream().filter(ConfigError::isError).map(ConfigError::detail).toList();
        List<String> warnings = result.errors().stream().filter(e -> !e.isError()).map(ConfigError::detail).toList();
        AdmissionResponseBuilder response = new AdmissionResponseBuilder().withAllowed(errors.isEmpty());
        if (!warnings.isEmpty()) {
            response.withWarnings(warnings);
        }
        if (!errors.isEmpty()) {
            response.withStatus(new StatusBuilder().withCode(400).withReason("Invalid")
                    .withMessage("configuration is invalid: " + String.join("; ", errors)).build());
        }
        return response.build();
    }
}
