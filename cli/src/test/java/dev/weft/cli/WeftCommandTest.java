package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WeftCommandTest {

  @Test
  void versionPrintsTheBuildVersion() {
    CliRun run = CliRun.of("version");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("weft 0.").doesNotContain("${");
  }

  @Test
  void helpListsSubcommands() {
    CliRun run = CliRun.of("--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: weft").contains("version");
  }

  @Test
  void unknownOptionIsAUsageError() {
    CliRun run = CliRun.of("--no-such-flag");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Unknown option");
  }
}
