package dev.weft.examples.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormEncodingTest {
    @Test
    void decodesNamesValuesAndRepeats() {
        assertThat(FormEncoding.decode("username=jason&passwd=&a=1&a=2+3&flag&x=%C3%A9"))
                .containsExactly(
                        Map.entry("username", List.of("jason")),
                        Map.entry("passwd", List.of("")),
                        Map.entry("a", List.of("1", "2 3")),
                        Map.entry("flag", List.of("")),
                        Map.entry("x", List.of("é")));
    }

    @Test
    void emptyAndMalformedInputDoNotFail() {
        assertThat(FormEncoding.decode(null)).isEmpty();
        assertThat(FormEncoding.decode("&&")).isEmpty();
        assertThat(FormEncoding.decode("p=100%")).containsEntry("p", List.of("100%"));
    }
}
