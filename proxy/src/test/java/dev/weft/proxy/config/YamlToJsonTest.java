package dev.weft.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import org.junit.jupiter.api.Test;

class YamlToJsonTest {

    @Test
    void plainScalarsAreTypedByYaml12sCoreSchema() throws Exception {
        assertThat(YamlToJson.convert("""
                words: [on, off, yes, no, y, n, tRUE]
                bools: [true, True, TRUE, false, False, FALSE]
                nulls: [null, Null, NULL, ~]
                empty:
                date: 2026-01-01
                sexagesimal: 1:20
                decimal: [010, +12, -0, 1_000]
                octal: [0o17, 0O17, 0o8]
                hex: [0x1F, 0xfg, +0x1F]
                floats: [1.5, 1., .5, -1e3, 1.5E-3, 0b11]
                infinite: [.inf, -.Inf, +.INF, .nan, .NaN, .Nan]
                big: 123456789012345678901234567890
                """)).isEqualTo("{"
                + "\"words\":[\"on\",\"off\",\"yes\",\"no\",\"y\",\"n\",\"tRUE\"],"
                + "\"bools\":[true,true,true,false,false,false],"
                + "\"nulls\":[null,null,null,null],"
                + "\"empty\":null,"
                + "\"date\":\"2026-01-01\","
                + "\"sexagesimal\":\"1:20\","
                + "\"decimal\":[10,12,0,\"1_000\"],"
                + "\"octal\":[15,\"0O17\",\"0o8\"],"
                + "\"hex\":[31,\"0xfg\",\"+0x1F\"],"
                + "\"floats\":[1.5,1,0.5,-1E+3,0.0015,\"0b11\"],"
                + "\"infinite\":[\"Infinity\",\"-Infinity\",\"Infinity\",\"NaN\",\"NaN\",\".Nan\"],"
                + "\"big\":123456789012345678901234567890}");
    }

    @Test
    void quotedAndTaggedScalarsKeepTheirType() throws Exception {
        assertThat(YamlToJson.convert("""
                a: "true"
                b: '12'
                c: !!str 12
                d: !!int "12"
                e: !custom text
                """)).isEqualTo("{\"a\":\"true\",\"b\":\"12\",\"c\":\"12\",\"d\":12,\"e\":\"text\"}");
        assertThatThrownBy(() -> YamlToJson.convert("a: 1\nb: !!int twelve\n"))
                .isInstanceOf(YamlToJson.InvalidYaml.class)
                .hasMessage("'twelve' is not a tag:yaml.org,2002:int at line 2");
    }

    @Test
    void readsTheFirstDocumentWithAliasesExpandedAndTheLastOfARepeatedKey() throws Exception {
        assertThat(YamlToJson.convert("""
                base: &base { port: 80, tags: [a, b] }
                copy: *base
                port: 1
                port: 2
                ~: key text, not null
                1: key text, not a number
                <<: not a merge
                ---
                second: document
                """)).isEqualTo("{\"base\":{\"port\":80,\"tags\":[\"a\",\"b\"]},"
                + "\"copy\":{\"port\":80,\"tags\":[\"a\",\"b\"]},\"port\":2,\"~\":\"key text, not null\","
                + "\"1\":\"key text, not a number\",\"<<\":\"not a merge\"}");
        assertThat(YamlToJson.convert("")).isEqualTo("null");
        assertThat(YamlToJson.convert("# nothing\n")).isEqualTo("null");
        assertThat(YamlToJson.convert("- 1\n- x\n")).isEqualTo("[1,\"x\"]");
    }

    @Test
    void syntaxErrorsSayWhereTheyAre() {
        assertThatThrownBy(() -> YamlToJson.convert("node:\n  id: [unclosed\n"))
                .isInstanceOf(YamlToJson.InvalidYaml.class)
                .hasMessage("while parsing a flow sequence at line 2: expected ',' or ']', but got <stream end>"
                        + " at line 3");
        assertThatThrownBy(() -> YamlToJson.convert("a: 1\n  b: 2\n"))
                .hasMessage("mapping values are not allowed here at line 2");
        assertThatThrownBy(() -> YamlToJson.convert("a: 1\n? [x, y]\n: 2\n"))
                .hasMessage("a key must be a scalar, not a sequence at line 2");
        assertThatThrownBy(() -> YamlToJson.convert("a: *missing\n")).hasMessageContaining("undefined alias")
                .hasMessageContaining("line 1");
    }

    /** Ten aliases of the one before, nine deep: 10^9 strings from 90 aliases of a few hundred bytes. */
    @Test
    void aBillionLaughsIsRefusedOnceItsValuesOutgrowTheLimit() {
        StringBuilder yaml = new StringBuilder("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i <= 9; i++) {
            yaml.append("l").append(i).append(": &l").append(i).append(" [")
                    .append(String.join(", ", Collections.nCopies(10, "*l" + (i - 1)))).append("]\n");
        }

        assertThatThrownBy(() -> YamlToJson.convert(yaml.toString())).isInstanceOf(YamlToJson.InvalidYaml.class)
                .hasMessageStartingWith("more than " + YamlToJson.MAX_VALUES + " values, aliases expanded");
    }

    @Test
    void tooManyAliasesTooDeepATooLongOrARecursiveDocumentIsRefused() throws Exception {
        String manyAliases = "a: &a [x]\nb: [" + "*a, ".repeat(YamlToJson.MAX_ALIASES) + "*a]\n";
        assertThatThrownBy(() -> YamlToJson.convert(manyAliases)).isInstanceOf(YamlToJson.InvalidYaml.class)
                .hasMessageContaining("Number of aliases for non-scalar nodes exceeds the specified max="
                        + YamlToJson.MAX_ALIASES);

        // The root and MAX_DEPTH levels below it are allowed.
        assertThat(YamlToJson.convert("[".repeat(YamlToJson.MAX_DEPTH + 1) + "]".repeat(YamlToJson.MAX_DEPTH + 1)))
                .startsWith("[[[");
        String deep = "[".repeat(YamlToJson.MAX_DEPTH + 2) + "]".repeat(YamlToJson.MAX_DEPTH + 2);
        assertThatThrownBy(() -> YamlToJson.convert(deep)).isInstanceOf(YamlToJson.InvalidYaml.class)
                .hasMessageContaining("Nesting Depth exceeded max " + YamlToJson.MAX_DEPTH);

        String huge = "a: " + "x".repeat(YamlToJson.MAX_CODE_POINTS) + "\n";
        assertThatThrownBy(() -> YamlToJson.convert(huge)).isInstanceOf(YamlToJson.InvalidYaml.class)
                .hasMessageContaining("exceeds the limit: " + YamlToJson.MAX_CODE_POINTS + " code points");

        assertThatThrownBy(() -> YamlToJson.convert("a: &a [*a]\n")).isInstanceOf(YamlToJson.InvalidYaml.class)
                .hasMessage("nested deeper than " + YamlToJson.MAX_DEPTH + ", aliases expanded at line 1");
    }
}
