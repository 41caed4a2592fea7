package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** weft top without a mesh and its options; its tables are checked against a running mesh in e2e's ObservabilityTest. */
class TopCommandTest {

  @TempDir Path dir;

  @Test
  void withoutAMeshTopSaysSo() {
    CliRun top = CliRun.of("top", "--once", "--state-dir", dir.toString());

    assertThat(top.exitCode()).isEqualTo(StatusCommand.NOT_RUNNING);
    assertThat(top.out()).contains("no local mesh is running");
  }

  @Test
  void intervalsAreWrittenAsUsersWriteThem() {
    TopCommand.DurationConverter converter = new TopCommand.DurationConverter();

    assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(converter.convert("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(converter.convert("1m")).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void aMalformedIntervalIsAUsageError() {
    CliRun top = CliRun.of("top", "--interval", "0s", "--state-dir", dir.toString());

    assertThat(top.exitCode()).isEqualTo(2);
    assertThat(top.err()).contains("'0s' is not a positive duration");
    assertThat(CliRun.of("top", "--interval", "2 hours").err()).contains("is not a positive duration");
  }

  @Test
  void upAndDemoOfferObservability() {
    assertThat(CliRun.of("up", "--help").out()).contains("--with-observability");
    assertThat(CliRun.of("demo", "--help").out()).contains("--with-observability");
    assertThat(CliRun.of("--help").out()).contains("top");
  }
}
