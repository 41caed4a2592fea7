package dev.weft.proxy.streaminfo;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Envoy's dynamic metadata of a request or a connection: what filters tell later filters (and access logs), a
 * {@link Struct} per filter name. Setting merges the fields into the filter's struct, as Envoy's
 * {@code setDynamicMetadata}. Lives on one event loop, like the request or connection it belongs to.
 */
public final class DynamicMetadata {

    private static final AttributeKey<DynamicMetadata> CONNECTION = AttributeKey.valueOf("weft.dynamic-metadata");

    private final Map<String, Struct> byFilter = new HashMap<>(4);

    /** The metadata of a downstream connection (what network filters write), created on first use. */
    public static DynamicMetadata of(Channel connection) {
        DynamicMetadata m = connection.attr(CONNECTION).get();
        if (m == null) {
            m = new DynamicMetadata();
            connection.attr(CONNECTION).set(m);
        }
        return m;
    }

    public void set(String filter, Struct fields) {
        Struct old = byFilter.get(filter);
        byFilter.put(filter, old == null ? fields : old.toBuilder().putAllFields(fields.getFieldsMap()).build());
    }

    /** The filter's struct, or the empty struct. */
    public Struct get(String filter) {
        return byFilter.getOrDefault(filter, Struct.getDefaultInstance());
    }

    /** The value at {@code path} (keys into nested structs) of the filter's struct, or null. */
    public Value value(String filter, List<String> path) {
        Struct struct = byFilter.get(filter);
        Value v = null;
        for (String key : path) {
            if (struct == null) {
                return null;
            }
            v = struct.getFieldsMap().get(key);
            if (v == null) {
                return null;
            }
            struct = v.hasStructValue() ? v.getStructValue() : null;
        }
        return v;
    }
}
