package dev.weft.proxy.matcher;

import com.google.protobuf.Value;
import dev.weft.proxy.config.ConfigException;
import java.util.List;
import java.util.function.Predicate;

/**
 * A compiled {@code envoy.type.matcher.v3.ValueMatcher} over a protobuf {@link Value} (a metadata field): string,
 * bool, double, null, present, a list any of whose elements matches, or any of several matchers. An absent field
 * is passed as null and matches nothing.
 */
public final class ValueMatcher {

    private ValueMatcher() {
    }

    public static Predicate<Value> compile(io.envoyproxy.envoy.type.matcher.v3.ValueMatcher proto) {
        return switch (proto.getMatchPatternCase()) {
            case NULL_MATCH -> v -> v != null && v.hasNullValue();
            case STRING_MATCH -> {
                StringMatcher m = StringMatcher.compile(proto.getStringMatch());
                yield v -> v != null && v.hasStringValue() && m.matches(v.getStringValue());
            }
            case BOOL_MATCH -> {
                boolean expected = proto.getBoolMatch();
                yield v -> v != null && v.hasBoolValue() && v.getBoolValue() == expected;
            }
            case PRESENT_MATCH -> {
                // As Envoy: present_match false matches nothing, not "absent".
                boolean expected = proto.getPresentMatch();
                yield v -> expected && v != null && v.getKindCase() != Value.KindCase.KIND_NOT_SET;
            }
            case DOUBLE_MATCH -> {
                var d = proto.getDoubleMatch();
                yield v -> v != null && v.hasNumberValue() && (d.hasRange()
                        ? v.getNumberValue() >= d.getRange().getStart() && v.getNumberValue() < d.getRange().getEnd()
                        : v.getNumberValue() == d.getExact());
            }
            case LIST_MATCH -> {
                Predicate<Value> element = compile(proto.getListMatch().getOneOf());
                yield v -> v != null && v.hasListValue() && v.getListValue().getValuesList().stream().anyMatch(element);
            }
            case OR_MATCH -> {
                List<Predicate<Value>> any = proto.getOrMatch().getValueMatchersList().stream()
                        .map(ValueMatcher::compile).toList();
                yield v -> any.stream().anyMatch(m -> m.test(v));
            }
            default -> throw new ConfigException("value matcher " + proto.getMatchPatternCase() + " is not supported");
        };
    }
}
