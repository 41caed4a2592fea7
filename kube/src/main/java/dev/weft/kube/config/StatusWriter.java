package dev.weft.kube.config;

import dev.weft.model.ConfigError;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Istio's way of reporting a rejected resource, on its own thread so an informer never waits for the API server:
 * {@code status.validationMessages} (IST0106 SchemaValidationError, level ERROR) on the resource, cleared when a
 * later version is accepted, and a Warning Event naming the field paths and messages (the status schema has no
 * room for text). Only Istio kinds; only when the status differs from what the object already carries; only by the
 * replica that leads.
 */
public final class StatusWriter implements ValidationReporter {

    private static final Logger LOG = Logger.getLogger(StatusWriter.class.getName());
    /** Istio's analyzer message for a resource that does not pass schema validation. */
    static final Map<String, Object> SCHEMA_VALIDATION_ERROR = Map.of(
            "type", Map.of("code", "IST0106", "name", "SchemaValidationError"), "level", "ERROR");

    private final KubernetesClient client;
    private final ExecutorService writer;
    private final BooleanSupplier leading;

    /** {@code leading}: whether this replica writes now (only the elected one of several does). */
    public StatusWriter(KubernetesClient client, ExecutorService writer, BooleanSupplier leading) {
        this.client = Objects.requireNonNull(client, "client");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.leading = Objects.requireNonNull(leading, "leading");
    }

    @Override
    public void report(KubeObject object, List<ConfigError> errors) {
        if (!object.kind().isIstio() || !leading.getAsBoolean()) {
            return;
        }
        List<Map<String, Object>> wanted = errors.isEmpty() ? List.of() : List.of(SCHEMA_VALIDATION_ERROR);
        Object present = object.validationMessages() == null ? List.of() : object.validationMessages();
        if (wanted.equals(present)) {
            return;
        }
        writer.execute(() -> write(object, wanted, errors));
    }

    private void write(KubeObject object, List<Map<String, Object>> messages, List<ConfigError> errors) {
        ResourceDefinitionContext context = IstioKinds.context(object.kind(), object.version());
        try {
            client.genericKubernetesResources(context).inNamespace(object.namespace()).withName(object.name())
                    .editStatus(resource -> withMessages(resource, messages));
            if (!errors.isEmpty()) {
                event(object, errors);
            }
        } catch (KubernetesClientException e) {
            LOG.warning(() -> "cannot write the status of " + object.origin() + ": " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static GenericKubernetesResource withMessages(GenericKubernetesResource resource,
            List<Map<String, Object>> messages) {
        Map<String, Object> status = resource.getAdditionalProperties().get("status") instanceof Map<?, ?> s
                ? new LinkedHashMap<>((Map<String, Object>) s) : new LinkedHashMap<>();
        if (messages.isEmpty()) {
            status.remove("validationMessages");
        } else {
            status.put("validationMessages", messages);
        }
        resource.setAdditionalProperty("status", status);
        return resource;
    }

    private void event(KubeObject object, List<ConfigError> errors) {
        String message = String.join("\n", errors.stream().map(ConfigError::detail).toList());
        String now = Instant.now().toString();
        client.v1().events().inNamespace(object.namespace()).resource(new EventBuilder()
                .withNewMetadata().withName(object.name() + "." + UUID.randomUUID())
                .withNamespace(object.namespace()).endMetadata()
                .withNewInvolvedObject().withApiVersion(IstioKinds.context(object.kind(), object.version())
                        .getGroup() + "/" + object.version())
                .withKind(object.kind().kindName()).withNamespace(object.namespace()).withName(object.name())
                .endInvolvedObject()
                .withType("Warning").withReason("SchemaValidationError").withMessage(message)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withNewSource().withComponent("weftd").endSource()
                .build()).create();
    }
}
