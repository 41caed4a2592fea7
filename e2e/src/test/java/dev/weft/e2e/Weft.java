package dev.weft.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the {@code weft} command line as its own process, as a user does, on this test's class path. */
final class Weft {

  static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  static final Path BOOKINFO_MESH = REPOSITORY.resolve("examples/bookinfo/mesh");
  /** httpbin and the curl client. */
  static final Path HTTPBIN_MESH = REPOSITORY.resolve("examples/httpbin/mesh");
  /** httpbin-v1 and httpbin-v2 behind one Service, and the curl client. */
  static final Path HTTPBIN_VERSIONS_MESH = REPOSITORY.resolve("examples/httpbin-versions/mesh");
  /** httpbin, the curl client and Istio's sample external authorizer, with its mesh config's providers. */
  static final Path EXTAUTHZ_MESH = REPOSITORY.resolve("examples/extauthz/mesh");
  /** Istio's own sample files, applied unchanged (the corpus beside the repository). */
  static final Path ISTIO_SAMPLES = REPOSITORY.resolve("../shared/istio/corpus/samples").normalize();
  /** Istio's sample tokens ({@code demo.jwt}, {@code groups-scope.jwt}), their {@code jwks.json} and {@code key.pem}. */
  static final Path ISTIO_JWT_SAMPLES = REPOSITORY.resolve("../shared/istio/corpus/security/tools/jwt/samples")
      .normalize();
  private static final long TIMEOUT_SECONDS = 120;

  /** What a run printed, stdout and stderr together, and how it exited. */
  record Run(int exitCode, String output) {}

  private Weft() {}

  static Run run(String... args) {
    return run(java.util.Map.of(), args);
  }

  /** A run with more environment variables, which {@code weft up} passes on to the processes it starts. */
  static Run run(java.util.Map<String, String> environment, String... args) {
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElseThrow(), "-Xmx128m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), "dev.weft.cli.WeftCommand"));
    command.addAll(List.of(args));
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      builder.environment().putAll(environment);
      Process process = builder.start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("weft " + String.join(" ", args) + " did not finish within " + TIMEOUT_SECONDS
            + " s:\n" + new String(output, StandardCharsets.UTF_8));
      }
      return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("cannot run weft: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
