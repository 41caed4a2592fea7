package dev.weft.proxy.matcher;

import com.google.protobuf.Value;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.streaminfo.DynamicMetadata;
import io.envoyproxy.envoy.type.matcher.v3.ValueMatcher;
import java.util.List;
import java.util.function.Predicate;

/**
 * A compiled {@code envoy.type.matcher.v3.MetadataMatcher}: the value at a filter's path in dynamic metadata
 * against a value matcher (string, bool, presence, null, or any of them); {@code invert} negates. A missing value
 * matches only {@code present_match: false} and {@code null_match}, as in Envoy.
 */
public final class MetadataMatcher {

    private final String filter;
    private final List<String> path;
    private final Predicate<Value> value;
    private final boolean invert;

    private MetadataMatcher(String filter, List<String> path, Predicate<Value> value, boolean invert) {
        this.filter = filter;
        this.path = List.copyOf(path);
        this.value = value;
        this.invert = invert;
    }

    public static MetadataMatcher compile(io.envoyproxy.envoy.type.matcher.v3.MetadataMatcher proto) {
        if (proto.getFilter().isEmpty() || proto.getPathCount() == 0) {
            throw new ConfigException("metadata matcher needs a filter and a path");
        }
        List<String> path = proto.getPathList().stream().map(s -> s.getKey()).toList();
        return new MetadataMatcher(proto.getFilter(), path, value(proto.getValue()), proto.getInvert());
    }

    private static Predicate<Value> value(ValueMatcher m) {
        return switch (m.getMatchPatternCase()) {
            case STRING_MATCH -> {
                StringMatcher s = StringMatcher.compile(m.getStringMatch());
                yield v -> v != null && v.hasStringValue() && s.matches(v.getStringValue());
            }
            case BOOL_MATCH -> {
                boolean b = m.getBoolMatch();
                yield v -> v != null && v.hasBoolValue() && v.getBoolValue() == b;
            }
            case PRESENT_MATCH -> {
                boolean present = m.getPresentMatch();
                yield v -> (v != null) == present;
            }
            case NULL_MATCH -> v -> v == null || v.hasNullValue();
            case OR_MATCH -> {
                List<Predicate<Value>> any = m.getOrMatch().getValueMatchersList().stream()
                        .map(MetadataMatcher::value).toList();
                yield v -> any.stream().anyMatch(p -> p.test(v));
            }
            default -> throw new ConfigException("metadata value matcher " + m.getMatchPatternCase()
                    + " is not supported");
        };
    }

    public boolean matches(DynamicMetadata metadata) {
        return value.test(metadata.value(filter, path)) != invert;
    }
}
