package dev.weft.examples.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void writesCompactlyInInsertionOrder() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("b", 1);
        value.put("a", List.of(true, "x", 2.5));
        value.put("n", null);

        assertThat(Json.write(value)).isEqualTo("{\"b\":1,\"a\":[true,\"x\",2.5],\"n\":null}");
    }

    @Test
    void writesPrettyWithTwoSpaces() {
        assertThat(Json.writePretty(Map.of("k", List.of(1)))).isEqualTo("{\n  \"k\": [\n    1\n  ]\n}\n");
        assertThat(Json.writePretty(Map.of())).isEqualTo("{}\n");
    }

    @Test
    void escapesWhatMustBeEscaped() {
        assertThat(Json.write("q\"b\\n\nt\t\u0001")).isEqualTo("\"q\\\"b\\\\n\\nt\\t\\u0001\"");
    }

    @Test
    void parsesWhatItWrites() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("text", "héllo \"quoted\" \\ \n");
        value.put("list", Arrays.asList(1L, -2.5e3, false, null, Map.of()));

        assertThat(Json.parse(Json.write(value))).isEqualTo(value);
        assertThat(Json.parse(Json.writePretty(value))).isEqualTo(value);
    }

    @Test
    void parsesEscapesAndNumbers() {
        assertThat(Json.parse("\"\\u00e9\\/\"")).isEqualTo("é/");
        assertThat(Json.parse(" [0, -7, 1.5, 2E2] ")).isEqualTo(List.of(0L, -7L, 1.5, 200.0));
    }

    @Test
    void rejectsBrokenInputWithTheOffset() {
        assertThatThrownBy(() -> Json.parse("{\"a\":")).isInstanceOf(Json.JsonException.class)
                .hasMessage("invalid JSON at offset 5: unexpected end of input");
        assertThatThrownBy(() -> Json.parse("[1,]")).hasMessageContaining("offset 3");
        assertThatThrownBy(() -> Json.parse("{} x")).hasMessageContaining("trailing content");
        assertThatThrownBy(() -> Json.parse("\"\\q\"")).hasMessageContaining("bad escape");
        assertThatThrownBy(() -> Json.parse("01x")).isInstanceOf(Json.JsonException.class);
        assertThatThrownBy(() -> Json.parse("nul")).hasMessageContaining("unexpected token");
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        assertThatThrownBy(() -> Json.parse("[".repeat(10_000))).hasMessageContaining("nesting deeper than 64");
    }

    @Test
    void writingANonJsonValueIsAProgrammingError() {
        assertThatThrownBy(() -> Json.write(new Object())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a JSON value");
    }
}
