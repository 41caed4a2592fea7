package dev.weft.proxy.matcher;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.streaminfo.DynamicMetadata;
import java.util.List;
import java.util.function.Predicate;

/**
 * A compiled {@code envoy.type.matcher.v3.MetadataMatcher}: the field at {@code path} (keys into nested structs)
 * of one filter's metadata, tested by a {@link ValueMatcher}; {@code invert} negates the result.
 */
public final class MetadataMatcher {

    private final String filter;
    private final List<String> path;
    private final Predicate<Value> value;
    private final boolean invert;

    private MetadataMatcher(String filter, List<String> path, Predicate<Value> value, boolean invert) {
        this.filter = filter;
        this.path = path;
        this.value = value;
        this.invert = invert;
    }

    public static MetadataMatcher compile(io.envoyproxy.envoy.type.matcher.v3.MetadataMatcher proto) {
        if (proto.getFilter().isEmpty() || proto.getPathCount() == 0 || !proto.hasValue()) {
            throw new ConfigException("metadata matcher needs a filter, a path and a value");
        }
        List<String> keys = proto.getPathList().stream().map(s -> {
            if (s.getKey().isEmpty()) {
                throw new ConfigException("metadata matcher path segments need a key");
            }
            return s.getKey();
        }).toList();
        return new MetadataMatcher(proto.getFilter(), keys, ValueMatcher.compile(proto.getValue()), proto.getInvert());
    }

    /** The filter whose metadata this matcher reads. */
    public String filter() {
        return filter;
    }

    /** Whether the request's or connection's dynamic metadata matches. */
    public boolean matches(DynamicMetadata metadata) {
        return matches(metadata.get(filter));
    }

    /** Whether the filter's metadata matches; {@code metadata} is that filter's struct. */
    public boolean matches(Struct metadata) {
        return value.test(lookup(metadata)) != invert;
    }

    private Value lookup(Struct metadata) {
        Struct current = metadata;
        Value found = null;
        for (int i = 0; i < path.size(); i++) {
            found = current.getFieldsMap().get(path.get(i));
            if (found == null) {
                return null;
            }
            if (i < path.size() - 1) {
                if (!found.hasStructValue()) {
                    return null;
                }
                current = found.getStructValue();
            }
        }
        return found;
    }
}
