package dev.weft.model.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageTypeTest {

  @Test
  void rendersGoVerbsLikeIstio() {
    assertThat(MessageType.REFERENCED_RESOURCE_NOT_FOUND.format("host", "ratings"))
        .isEqualTo("Referenced host not found: \"ratings\"");
    assertThat(MessageType.CONFLICTING_SIDECAR_WORKLOAD_SELECTORS.format(
            List.of("default/dupe-1", "default/dupe-2"), "default", "pod1"))
        .isEqualTo("The Sidecars [default/dupe-1 default/dupe-2] in namespace \"default\" select the same"
            + " workload pod \"pod1\", which can lead to undefined behavior.");
  }

  @Test
  void quotesEscapeLikeGo() {
    assertThat(GoFormat.format("%q", "a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    assertThat(GoFormat.format("100%% %d", 5)).isEqualTo("100% 5");
    assertThat(GoFormat.format("%s and %s", "one")).isEqualTo("one and %!s(MISSING)");
  }

  @Test
  void catalogueCodesAreUniqueAndWellFormed() {
    assertThat(Arrays.stream(MessageType.values()).map(MessageType::code))
        .doesNotHaveDuplicates()
        .allMatch(code -> code.matches("IST\\d{4}"));
    assertThat(MessageType.valueOf("GATEWAY_DUPLICATE_CERTIFICATE").code()).isEqualTo("IST0138");
    assertThat(MessageType.VIRTUAL_SERVICE_INEFFECTIVE_MATCH.level()).isEqualTo(Level.INFO);
  }

  @Test
  void levelsOrderAndParse() {
    assertThat(Level.ERROR.isAtLeast(Level.WARNING)).isTrue();
    assertThat(Level.INFO.isAtLeast(Level.WARNING)).isFalse();
    assertThat(Level.parse("warning")).isEqualTo(Level.WARNING);
    assertThat(Level.WARNING.displayName()).isEqualTo("Warning");
    assertThatThrownBy(() -> Level.parse("fatal")).hasMessageContaining("Error, Warning or Info");
  }
}
