package dev.weft.proxy.istio;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.Base64;
import java.util.Map;

/**
 * Who a workload is, as Istio's metrics label it: its workload name and namespace, app and version, canonical service
 * and revision, cluster and SPIFFE identity. Read from a proxy's node metadata (Istio's keys: {@code WORKLOAD_NAME},
 * {@code NAMESPACE}, {@code LABELS}, {@code CLUSTER_ID}) and exchanged between sidecars in the
 * {@code x-envoy-peer-metadata} header: the base64 of that metadata as a {@code google.protobuf.Struct}. A fact
 * nobody told is {@code unknown}; the canonical revision defaults to {@code latest}, as Istio's.
 */
public record WorkloadMetadata(String workload, String namespace, String app, String version,
        String canonicalService, String canonicalRevision, String cluster, String identity) {

    public static final String PEER_METADATA_HEADER = "x-envoy-peer-metadata";
    public static final String PEER_METADATA_ID_HEADER = "x-envoy-peer-metadata-id";
    public static final String UNKNOWN_VALUE = "unknown";
    public static final WorkloadMetadata UNKNOWN = new WorkloadMetadata(UNKNOWN_VALUE, UNKNOWN_VALUE, UNKNOWN_VALUE,
            UNKNOWN_VALUE, UNKNOWN_VALUE, "latest", UNKNOWN_VALUE, UNKNOWN_VALUE);

    /** Weft's addition to Istio's keys: the SPIFFE ID the workload's certificate carries, if it has one. */
    static final String IDENTITY_KEY = "WEFT_WORKLOAD_IDENTITY";

    /** Istio's canonical service: its label, else Kubernetes' name label, else app, else the workload name. */
    public static WorkloadMetadata fromNodeMetadata(Struct metadata) {
        Map<String, Value> fields = metadata.getFieldsMap();
        Map<String, Value> labels = fields.containsKey("LABELS")
                ? fields.get("LABELS").getStructValue().getFieldsMap() : Map.of();
        String workload = string(fields, "WORKLOAD_NAME", null);
        String app = first(labels, null, "app", "app.kubernetes.io/name");
        String version = first(labels, null, "version", "app.kubernetes.io/version");
        String canonicalService = first(labels, app != null ? app : workload, "service.istio.io/canonical-name",
                "app.kubernetes.io/name", "app");
        String canonicalRevision = first(labels, "latest", "service.istio.io/canonical-revision",
                "app.kubernetes.io/version", "version");
        return new WorkloadMetadata(orUnknown(workload), orUnknown(string(fields, "NAMESPACE", null)),
                orUnknown(app), orUnknown(version), orUnknown(canonicalService), canonicalRevision,
                orUnknown(string(fields, "CLUSTER_ID", null)), orUnknown(string(fields, IDENTITY_KEY, null)));
    }

    /** The node metadata keys this workload is read from, for the peer metadata header. */
    public Struct toNodeMetadata() {
        Struct.Builder labels = Struct.newBuilder();
        putKnown(labels, "app", app);
        putKnown(labels, "version", version);
        putKnown(labels, "service.istio.io/canonical-name", canonicalService);
        putKnown(labels, "service.istio.io/canonical-revision", canonicalRevision);
        Struct.Builder node = Struct.newBuilder();
        putKnown(node, "WORKLOAD_NAME", workload);
        putKnown(node, "NAMESPACE", namespace);
        putKnown(node, "CLUSTER_ID", cluster);
        putKnown(node, IDENTITY_KEY, identity);
        node.putFields("LABELS", Value.newBuilder().setStructValue(labels).build());
        return node.build();
    }

    /** The {@code x-envoy-peer-metadata} value that describes this workload. */
    public String toHeader() {
        return Base64.getEncoder().encodeToString(toNodeMetadata().toByteArray());
    }

    /** A peer's header; {@link #UNKNOWN} when it is not base64 of a Struct (a peer's metadata is only a label). */
    public static WorkloadMetadata fromHeader(String value) {
        try {
            return fromNodeMetadata(Struct.parseFrom(Base64.getDecoder().decode(value)));
        } catch (IllegalArgumentException | InvalidProtocolBufferException malformed) {
            return UNKNOWN;
        }
    }

    private static String first(Map<String, Value> labels, String fallback, String... keys) {
        for (String key : keys) {
            Value v = labels.get(key);
            if (v != null && !v.getStringValue().isEmpty()) {
                return v.getStringValue();
            }
        }
        return fallback;
    }

    private static String string(Map<String, Value> fields, String key, String fallback) {
        Value v = fields.get(key);
        return v == null || v.getStringValue().isEmpty() ? fallback : v.getStringValue();
    }

    private static String orUnknown(String s) {
        return s == null ? UNKNOWN_VALUE : s;
    }

    private static void putKnown(Struct.Builder into, String key, String value) {
        if (!value.equals(UNKNOWN_VALUE)) {
            into.putFields(key, Value.newBuilder().setStringValue(value).build());
        }
    }
}
