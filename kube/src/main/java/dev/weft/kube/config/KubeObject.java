package dev.weft.kube.config;

import dev.weft.model.Kind;
import dev.weft.model.ResourceKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One object as an informer saw it, reduced to what the model reads: its document holds {@code apiVersion},
 * {@code kind}, the metadata the mesh uses (name, namespace, labels, annotations, creation time) and the body, but
 * not {@code resourceVersion}, {@code managedFields} or {@code status}. Two sightings with equal documents are the
 * same config, whatever the API server's bookkeeping says: a relist or a status write changes nothing.
 *
 * @param version the API version it was read in ({@code v1beta1}), for a kind served in several
 * @param document the reduced object as YAML, what the model's loader parses
 * @param validationMessages its {@code status.validationMessages} as it is now (Istio kinds), to write only changes
 */
public record KubeObject(Kind kind, String version, String namespace, String name, String document,
        Object validationMessages) {

    /** kubectl's copy of the last applied object: churn, not config. */
    private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    public KubeObject {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(document, "document");
    }

    public ResourceKey key() {
        return new ResourceKey(kind, kind.isNamespaced() ? namespace : "", name);
    }

    /** Where messages about it point: {@code kube:VirtualService/default/reviews}. */
    public String origin() {
        return "kube:" + kind.kindName() + "/" + (kind.isNamespaced() ? namespace + "/" : "") + name;
    }

    /**
     * The reduced document of an object given as a JSON tree ({@code apiVersion}, {@code kind}, {@code metadata},
     * body), written as YAML by {@code yaml}.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> reduce(Kind kind, Map<String, Object> object) {
        Map<String, Object> metadata = (Map<String, Object>) object.getOrDefault("metadata", Map.of());
        Map<String, Object> kept = new LinkedHashMap<>();
        for (String field : new String[] {"name", "namespace", "labels", "annotations", "creationTimestamp"}) {
            if (metadata.get(field) != null) {
                kept.put(field, metadata.get(field));
            }
        }
        if (kept.get("annotations") instanceof Map<?, ?> annotations && annotations.containsKey(LAST_APPLIED)) {
            Map<Object, Object> without = new LinkedHashMap<>(annotations);
            without.remove(LAST_APPLIED);
            kept.put("annotations", without);
        }
        Map<String, Object> reduced = new LinkedHashMap<>();
        reduced.put("apiVersion", object.get("apiVersion"));
        reduced.put("kind", object.get("kind"));
        reduced.put("metadata", kept);
        if (kind.body() == Kind.Body.SPEC) {
            if (object.containsKey("spec")) {
                reduced.put("spec", object.get("spec"));
            }
        } else {
            object.forEach((field, value) -> {
                if (!reduced.containsKey(field) && !field.equals("status")) {
                    reduced.put(field, value);
                }
            });
        }
        return reduced;
    }
}
