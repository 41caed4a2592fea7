package dev.weft.proxy.accesslog;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.config.JsonStrings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@code json_format} dictionary: one JSON object per line, keys in name order. String values are format strings;
 * one that is a single operator keeps its type (numbers for {@code %RESPONSE_CODE%}, {@code %DURATION%}, bytes;
 * {@code null} when missing; a struct for {@code %DYNAMIC_METADATA(ns)%}). Nested structs nest; numbers and booleans
 * are written as given. With {@code omit_empty_values} a missing or empty value leaves its key out.
 */
final class JsonLogFormat implements LogFormat {

    private sealed interface Node permits Field, Constant, Nested {
    }

    private record Field(FormatString format) implements Node {
    }

    private record Constant(String json) implements Node {
    }

    private record Nested(List<Map.Entry<String, Node>> entries) implements Node {
    }

    private final Nested root;
    private final boolean omitEmpty;

    JsonLogFormat(Struct format, boolean omitEmpty) {
        this.root = compile(format, "");
        this.omitEmpty = omitEmpty;
    }

    private static Nested compile(Struct struct, String path) {
        List<Map.Entry<String, Node>> entries = new ArrayList<>();
        for (Map.Entry<String, Value> e : new TreeMap<>(struct.getFieldsMap()).entrySet()) {
            Value v = e.getValue();
            String at = path + e.getKey();
            Node node = switch (v.getKindCase()) {
                case STRING_VALUE -> new Field(FormatString.parse(v.getStringValue()));
                case STRUCT_VALUE -> compile(v.getStructValue(), at + ".");
                case NUMBER_VALUE, BOOL_VALUE, NULL_VALUE -> new Constant(FormatString.json(v));
                default -> throw new ConfigException("access log json_format " + at
                        + ": only strings, numbers, booleans and nested structs are supported");
            };
            entries.add(Map.entry(e.getKey(), node));
        }
        return new Nested(List.copyOf(entries));
    }

    @Override
    public String format(AccessLogContext context) {
        StringBuilder out = new StringBuilder(512);
        write(out, root, context);
        return out.append('\n').toString();
    }

    private void write(StringBuilder out, Nested nested, AccessLogContext context) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Node> e : nested.entries()) {
            String value = switch (e.getValue()) {
                case Constant c -> c.json();
                case Field f -> jsonOf(f.format().jsonValue(context, omitEmpty));
                case Nested n -> {
                    StringBuilder inner = new StringBuilder();
                    write(inner, n, context);
                    yield inner.toString();
                }
            };
            if (omitEmpty && (value.equals("null") || value.equals("\"\"") || value.equals("{}"))) {
                continue;
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            JsonStrings.quote(out, e.getKey());
            out.append(':').append(value);
        }
        out.append('}');
    }

    private static String jsonOf(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Long n) {
            return n.toString();
        }
        if (v instanceof Value value) {
            return FormatString.json(value);
        }
        StringBuilder out = new StringBuilder();
        JsonStrings.quote(out, (String) v);
        return out.toString();
    }
}
