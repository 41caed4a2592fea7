package dev.weft.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.stream.MalformedJsonException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlainJsonTest {

    @Test
    void readsObjectsInOrderAndWholeNumbersAsLongs() throws Exception {
        Object json = PlainJson.parse("""
                {"z": 1, "a": [true, null, "x"], "big": 12345678901234567890, "half": 0.5, "e": 1e3,
                 "nested": {"k": -7}}
                """);

        assertThat(json).isInstanceOf(Map.class);
        Map<?, ?> object = (Map<?, ?>) json;
        List<Object> keys = List.copyOf(object.keySet());
        assertThat(keys).containsExactly("z", "a", "big", "half", "e", "nested");
        assertThat(object.get("z")).isEqualTo(1L);
        assertThat(object.get("a")).isEqualTo(Arrays.asList(true, null, "x"));
        assertThat(object.get("big")).isEqualTo(new BigDecimal("12345678901234567890"));
        assertThat(object.get("half")).isEqualTo(new BigDecimal("0.5"));
        assertThat(object.get("e")).isEqualTo(new BigDecimal("1e3"));
        assertThat(object.get("nested")).isEqualTo(Map.of("k", -7L));
        assertThat(PlainJson.parse("\"just a string\"")).isEqualTo("just a string");
        assertThat(PlainJson.parse(" 42 ")).isEqualTo(42L);
    }

    @Test
    void readsStrictly() {
        assertThatThrownBy(() -> PlainJson.parse("{'a': 1}")).isInstanceOf(MalformedJsonException.class);
        assertThatThrownBy(() -> PlainJson.parse("{\"a\": bare}")).isInstanceOf(MalformedJsonException.class);
        assertThatThrownBy(() -> PlainJson.parse("{\"a\": 1} {}")).isInstanceOf(MalformedJsonException.class);
        assertThatThrownBy(() -> PlainJson.parse("[NaN]")).isInstanceOf(MalformedJsonException.class);
        assertThatThrownBy(() -> PlainJson.parse("{\"node\": {\"id\": ")).isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining("ends early").hasMessageContaining("line 1");
        assertThatThrownBy(() -> PlainJson.parse("")).isInstanceOf(MalformedJsonException.class);
    }

    @Test
    void refusesNestingPastItsBoundInsteadOfOverflowingTheStack() throws Exception {
        String deepest = "[".repeat(PlainJson.MAX_DEPTH + 1) + "]".repeat(PlainJson.MAX_DEPTH + 1);

        assertThat(PlainJson.parse("[".repeat(PlainJson.MAX_DEPTH) + "]".repeat(PlainJson.MAX_DEPTH)))
                .isInstanceOf(List.class);
        assertThatThrownBy(() -> PlainJson.parse(deepest)).isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining("nested deeper than 100");
        assertThatThrownBy(() -> PlainJson.parse("{\"a\":".repeat(100_000))).isInstanceOf(MalformedJsonException.class);
    }

    @Test
    void writesIndentedJsonThatReadsBackTheSame() throws Exception {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("name", "quote \" and \\ and \n");
        value.put("port", 15000);
        value.put("ratio", 0.25);
        value.put("on", false);
        value.put("none", null);
        value.put("list", List.of("a", Map.of("b", 2L)));

        String json = PlainJson.write(value);

        assertThat(json).startsWith("{\n  \"name\": \"quote \\\" and \\\\ and \\n\",\n  \"port\": 15000,");
        Map<String, Object> expected = new LinkedHashMap<>(value);
        expected.put("port", 15000L);
        expected.put("ratio", new BigDecimal("0.25"));
        assertThat(PlainJson.parse(json)).isEqualTo(expected);
        assertThatThrownBy(() -> PlainJson.write(Map.of("a", new Object())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Object");
    }

    @Test
    void aScalarsTextIsItsDigitsOrWords() {
        assertThat(PlainJson.text(9090L, "")).isEqualTo("9090");
        assertThat(PlainJson.text(true, "")).isEqualTo("true");
        assertThat(PlainJson.text("x", "")).isEqualTo("x");
        assertThat(PlainJson.text(null, "none")).isEqualTo("none");
        assertThat(PlainJson.text(Map.of(), "none")).isEqualTo("none");
    }
}
