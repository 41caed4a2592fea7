package dev.weft.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {

  private final RestartBackoff backoff = new RestartBackoff(Duration.ofMillis(500), Duration.ofSeconds(30),
      Duration.ofSeconds(60));

  @Test
  void eachCrashInARowWaitsTwiceAsLongUpToTheCap() {
    assertThat(java.util.stream.IntStream.rangeClosed(1, 9).mapToObj(backoff::delay).map(Duration::toMillis))
        .containsExactly(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L, 30000L);
    assertThat(backoff.delay(200)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aProcessThatRanLongEnoughStartsOverFromTheFirstDelay() {
    assertThat(backoff.inARow(5, Duration.ofSeconds(59))).isEqualTo(6);
    assertThat(backoff.inARow(5, Duration.ofSeconds(60))).isEqualTo(1);
    assertThat(backoff.inARow(0, Duration.ZERO)).isEqualTo(1);
  }
}
