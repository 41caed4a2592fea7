package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool of the machine (curl, openssl) run as a user would, with nothing on its standard input and
 * a bound on its run time. A missing tool fails the test: CI installs it (.ci/run).
 */
final class HostTool {
  record Result(int exitCode, String output) {}

  private HostTool() {}

  static Result run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      boolean ended = process.waitFor(30, TimeUnit.SECONDS);
      if (!ended) {
        process.destroyForcibly();
      }
      assertThat(ended).as(String.join(" ", command) + " ended within 30 s").isTrue();
      return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(),
          StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(command[0] + " cannot run (is it installed?): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The PEM blocks of certificates in {@code text}, in order. */
  static List<String> certificates(String text) {
    List<String> pems = new java.util.ArrayList<>();
    int from = 0;
    while (true) {
      int start = text.indexOf("-----BEGIN CERTIFICATE-----", from);
      if (start < 0) {
        return pems;
      }
      int end = text.indexOf("-----END CERTIFICATE-----", start) + "-----END CERTIFICATE-----".length();
      pems.add(text.substring(start, end) + "\n");
      from = end;
    }
  }
}
