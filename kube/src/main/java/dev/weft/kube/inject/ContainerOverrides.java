package dev.weft.kube.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Istio's container overrides: a pod may carry its own {@code istio-proxy} or {@code istio-init} container with only
 * the fields it wants different (a command, resources, a probe, a security context). Those are taken out of the pod
 * and merged over the injected container as Kubernetes' strategic merge would: objects field by field, lists of
 * named entries ({@code env}, {@code ports}, {@code volumeMounts}) entry by entry, other values replaced; the image
 * {@code auto} means the injected one.
 */
final class ContainerOverrides {

    /** The key a strategic merge matches list entries by, per list. */
    private static final Map<String, String> MERGE_KEYS = Map.of("env", "name", "ports", "containerPort",
            "volumeMounts", "mountPath", "envFrom", "prefix");

    private final Map<String, Container> byName = new HashMap<>();

    /** Takes the injector's containers out of {@code containers} (the pod's copy) and keeps them as overrides. */
    ContainerOverrides(List<Container> containers, Set<String> injected) {
        for (Iterator<Container> it = containers.iterator(); it.hasNext();) {
            Container container = it.next();
            if (injected.contains(container.getName())) {
                byName.put(container.getName(), container);
                it.remove();
            }
        }
    }

    /** These overrides and {@code others} (the pod's init containers' and its containers'). */
    ContainerOverrides and(ContainerOverrides others) {
        byName.putAll(others.byName);
        return this;
    }

    /** {@code container} with the pod's override of it merged over, or as it is when the pod has none. */
    Container apply(Container container, KubernetesSerialization serialization) {
        Container override = byName.get(container.getName());
        if (override == null) {
            return container;
        }
        ObjectNode merged = serialization.convertValue(container, ObjectNode.class);
        ObjectNode over = serialization.convertValue(override, ObjectNode.class);
        if ("auto".equals(over.path("image").asText())) {
            over.remove("image");
        }
        merge(merged, over);
        return serialization.convertValue(merged, Container.class);
    }

    private static void merge(ObjectNode target, ObjectNode over) {
        over.properties().forEach(field -> {
            JsonNode mine = target.get(field.getKey());
            JsonNode theirs = field.getValue();
            String key = MERGE_KEYS.get(field.getKey());
            if (mine instanceof ObjectNode object && theirs instanceof ObjectNode overObject) {
                merge(object, overObject);
            } else if (key != null && mine instanceof ArrayNode list && theirs instanceof ArrayNode overList) {
                target.set(field.getKey(), mergeList(list, overList, key));
            } else {
                target.set(field.getKey(), theirs);
            }
        });
    }

    private static ArrayNode mergeList(ArrayNode list, ArrayNode over, String key) {
        List<JsonNode> entries = new ArrayList<>();
        list.forEach(entries::add);
        for (JsonNode entry : over) {
            int at = -1;
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).path(key).equals(entry.path(key))) {
                    at = i;
                }
            }
            if (at >= 0 && entries.get(at) instanceof ObjectNode existing && entry instanceof ObjectNode overEntry) {
                merge(existing, overEntry);
            } else {
                entries.add(entry);
            }
        }
        ArrayNode merged = list.arrayNode();
        entries.forEach(merged::add);
        return merged;
    }
}
