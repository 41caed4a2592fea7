package dev.weft.proxy.streaminfo;

import com.google.protobuf.Struct;
import java.util.HashMap;
import java.util.Map;

/**
 * A request's dynamic metadata (Envoy's {@code StreamInfo::dynamicMetadata()}): what filters learned about the
 * request, by filter name, for the filters after them (jwt_authn's verified payload for rbac). Setting a
 * filter's metadata merges the new fields into what it has. Lives on the request's event loop.
 */
public final class DynamicMetadata {

    private final Map<String, Struct> byFilter = new HashMap<>();

    /** Merges {@code fields} into the filter's metadata; a field already there is replaced. */
    public void set(String filter, Struct fields) {
        Struct existing = byFilter.get(filter);
        byFilter.put(filter, existing == null ? fields : existing.toBuilder().putAllFields(fields.getFieldsMap()).build());
    }

    /** The filter's metadata, or an empty struct when it has set none. */
    public Struct get(String filter) {
        return byFilter.getOrDefault(filter, Struct.getDefaultInstance());
    }
}
