package dev.weft.model.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {
  @ParameterizedTest
  @CsvSource({"1s, 1000", "0.5s, 500", "300ms, 300", "1m, 60000", "1h30m, 5400000", "1.5s, 1500", "0, 0",
      "0s, 0", "2500us, 2", ".25s, 250"})
  void parsesGoDurations(String text, long millis) {
    assertThat(DurationText.parse(text).toMillis()).isEqualTo(millis);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "apple", "1", "-1s", "1d", "s", "1.s.s", "10 s"})
  void rejectsOtherText(String text) {
    assertThat(DurationText.parse(text)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"9999999999999h"})
  void rejectsOverflow(String text) {
    assertThat(DurationText.parse(text)).isNull();
  }

  @ParameterizedTest
  @CsvSource({"1ns, 1", "1.5us, 1500"})
  void keepsSubMillisecondPrecision(String text, long nanos) {
    assertThat(DurationText.parse(text)).isEqualTo(Duration.ofNanos(nanos));
  }
}
