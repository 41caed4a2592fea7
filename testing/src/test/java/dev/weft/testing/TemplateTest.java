package dev.weft.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {

    @Test
    void replacesPlaceholders() {
        assertThat(Template.of("port: ${a.port}, again ${a.port}").render(Map.of("a.port", 8080)))
                .isEqualTo("port: 8080, again 8080");
    }

    @Test
    void rejectsUnknownPlaceholder() {
        assertThatThrownBy(() -> Template.of("${missing}").render(Map.of()))
                .hasMessageContaining("${missing}");
    }
}
