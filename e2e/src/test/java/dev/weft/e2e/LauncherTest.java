package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code ./weft} launcher a user runs first: it must find a JDK >= 21 by itself even when JAVA_HOME and
 * the default {@code java} are older, and run the CLI (the build it would do on first use already ran here).
 */
class LauncherTest {
  private static final Path LAUNCHER = Weft.REPOSITORY.resolve("weft");

  private record Run(int exitCode, String output) {}

  private static Run launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("launcher finished").isTrue();
    return new Run(process.exitValue(), output);
  }

  /** A JDK older than 21 on this machine, if there is one, to stand in the launcher's way. */
  private static String oldJavaHome() throws IOException {
    try (var jdks = Files.list(Path.of("/usr/lib/jvm"))) {
      return jdks.filter(d -> d.getFileName().toString().matches(".*-1[17]-.*|.*-1[17]\\..*"))
          .filter(d -> Files.isExecutable(d.resolve("bin/java")))
          .map(Path::toString).findFirst().orElse("/nonexistent-jdk");
    }
  }

  @Test
  void findsANewEnoughJdkOnItsOwnAndRunsTheCli() throws Exception {
    Run version = launch(Map.of("JAVA_HOME", oldJavaHome()), "version");
    assertThat(version.exitCode()).as(version.output()).isZero();
    assertThat(version.output()).containsPattern("weft \\d+\\.\\d+\\.\\d+.* \\(Java (2[1-9]|[3-9]\\d)");
  }

  @Test
  void helpFollowsPicocliConventionsAndUsageErrorsExitWithTwo() throws Exception {
    Run help = launch(Map.of(), "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.output()).contains("Usage: weft", "analyze", "up", "demo", "proxy-status", "proxy-config");
    Run analyzeHelp = launch(Map.of(), "analyze", "--help");
    assertThat(analyzeHelp.output()).contains("--fail-threshold");
    assertThat(launch(Map.of(), "no-such-command").exitCode()).isEqualTo(2);
  }
}
