package dev.weft.proxy.config;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import com.google.gson.stream.MalformedJsonException;
import java.io.EOFException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON as plain Java values: an object is a {@code Map<String, Object>} in the document's order, an array a
 * {@code List}, a number a {@link Long} when whole and in range, else a {@link BigDecimal}; strings, booleans and
 * nulls are themselves. Gson's streaming reader and writer do the work: no reflection, no type adapters. The reader is
 * strict (Gson's tree parser always reads leniently: single quotes, comments, bare words).
 */
public final class PlainJson {

    /** Objects and arrays nested below the root: the pod's JSON variables need a few; each level is a stack frame. */
    static final int MAX_DEPTH = 100;

    private PlainJson() {
    }

    /** One JSON value, nothing after it. */
    public static Object parse(String json) throws MalformedJsonException {
        try (JsonReader reader = new JsonReader(new StringReader(json))) {
            Object value = read(reader, 0);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new MalformedJsonException("more after the value at " + reader.getPath());
            }
            return value;
        } catch (MalformedJsonException e) {
            throw e;
        } catch (EOFException e) {
            throw new MalformedJsonException("the JSON ends early: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("a StringReader does not fail", e);
        }
    }

    /** {@code value} (plain values as {@link #parse} gives them) as JSON indented by two spaces. */
    public static String write(Object value) {
        StringWriter out = new StringWriter();
        try (JsonWriter writer = new JsonWriter(out)) {
            writer.setIndent("  ");
            write(writer, value);
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return out.toString();
    }

    /** A scalar's text (a number's digits, {@code true}, {@code false}); {@code otherwise} for anything else. */
    public static String text(Object value, String otherwise) {
        return value instanceof String || value instanceof Number || value instanceof Boolean ? value.toString()
                : otherwise;
    }

    private static Object read(JsonReader reader, int depth) throws IOException {
        JsonToken next = reader.peek();
        if ((next == JsonToken.BEGIN_OBJECT || next == JsonToken.BEGIN_ARRAY) && depth == MAX_DEPTH) {
            throw new MalformedJsonException("nested deeper than " + MAX_DEPTH + " at " + reader.getPath());
        }
        switch (next) {
            case BEGIN_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                reader.beginObject();
                while (reader.hasNext()) {
                    object.put(reader.nextName(), read(reader, depth + 1));
                }
                reader.endObject();
                return object;
            }
            case BEGIN_ARRAY -> {
                List<Object> array = new ArrayList<>();
                reader.beginArray();
                while (reader.hasNext()) {
                    array.add(read(reader, depth + 1));
                }
                reader.endArray();
                return array;
            }
            case NUMBER -> {
                String number = reader.nextString();
                try {
                    return Long.parseLong(number);
                } catch (NumberFormatException notWholeOrTooLarge) {
                    return new BigDecimal(number);
                }
            }
            case BOOLEAN -> {
                return reader.nextBoolean();
            }
            case NULL -> {
                reader.nextNull();
                return null;
            }
            default -> {
                return reader.nextString();
            }
        }
    }

    private static void write(JsonWriter writer, Object value) throws IOException {
        switch (value) {
            case null -> writer.nullValue();
            case String string -> writer.value(string);
            case Boolean bool -> writer.value(bool);
            case Number number -> writer.value(number);
            case Map<?, ?> object -> {
                writer.beginObject();
                for (Map.Entry<?, ?> field : object.entrySet()) {
                    writer.name(String.valueOf(field.getKey()));
                    write(writer, field.getValue());
                }
                writer.endObject();
            }
            case Iterable<?> array -> {
                writer.beginArray();
                for (Object item : array) {
                    write(writer, item);
                }
                writer.endArray();
            }
            default -> throw new IllegalArgumentException("not a plain JSON value: " + value.getClass().getName());
        }
    }
}
