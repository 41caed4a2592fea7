package dev.weft.cli.local;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts child processes with their output in a log file, and waits for them to be ready. Waiting polls (a
 * process gives no other signal of readiness) and gives up early when the process exits, quoting its log.
 */
public final class Supervisor {

  private static final File DEV_NULL = new File("/dev/null");
  private static final Duration POLL = Duration.ofMillis(50);
  private static final int LOG_LINES_ON_FAILURE = 15;

  private final Probe probe;
  private final Clock clock;
  private final Duration readyTimeout;

  public Supervisor(Probe probe, Clock clock, Duration readyTimeout) {
    this.probe = probe;
    this.clock = clock;
    this.readyTimeout = readyTimeout;
  }

  /** A started process with its record. */
  public record Started(Process process, ProcessRecord record) {}

  public Started start(String name, Role role, String workload, List<String> command, Map<String, String> env,
      Path log, String health, String admin) throws StartException {
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
    builder.environment().putAll(env);
    try {
      Files.createDirectories(log.getParent());
      Process process = builder.start();
      return new Started(process, ProcessRecord.of(name, role, workload, process.toHandle(), log.toString(), health,
          admin));
    } catch (IOException e) {
      throw new StartException(name + " did not start: " + e.getMessage());
    }
  }

  /** Waits until the process's health probe passes. */
  public void awaitHealthy(Started started) throws StartException {
    String health = started.record().health();
    awaitCondition(started, () -> probe.check(health).healthy(), "to answer " + health);
  }

  /** Waits until the process's log has a line matching {@code pattern}; returns the match. */
  public Matcher awaitLogLine(Started started, Pattern pattern) throws StartException {
    Path log = Path.of(started.record().log());
    Matcher[] found = new Matcher[1];
    awaitCondition(started, () -> {
      for (String line : readLines(log)) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          found[0] = m;
          return true;
        }
      }
      return false;
    }, "to log " + pattern.pattern());
    return found[0];
  }

  /** Polls {@code condition} until it holds (true) or the ready timeout passes (false). */
  public boolean pollUntil(Supplier<Boolean> condition) {
    Instant deadline = clock.instant().plus(readyTimeout);
    while (!condition.get()) {
      if (clock.instant().isAfter(deadline) || Thread.currentThread().isInterrupted()) {
        return false;
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
    return true;
  }

  private void awaitCondition(Started started, Supplier<Boolean> condition, String what) throws StartException {
    boolean[] met = new boolean[1];
    pollUntil(() -> (met[0] = condition.get()) || !started.process().isAlive());
    if (met[0]) {
      return;
    }
    if (!started.process().isAlive()) {
      throw new StartException(started.record().name() + " exited with status " + exitValue(started.process())
          + " while waiting for it " + what + tail(started.record().log()));
    }
    if (Thread.interrupted()) {
      throw new StartException("interrupted while waiting for " + started.record().name());
    }
    throw new StartException(started.record().name() + " was not ready within " + readyTimeout.toSeconds()
        + " s (waiting for it " + what + ")" + tail(started.record().log()));
  }

  private static int exitValue(Process process) {
    try {
      return process.waitFor(1, TimeUnit.SECONDS) ? process.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String tail(String log) {
    List<String> lines = readLines(Path.of(log));
    List<String> last = lines.subList(Math.max(0, lines.size() - LOG_LINES_ON_FAILURE), lines.size());
    return last.isEmpty() ? " (its log " + log + " is empty)"
        : "; last lines of " + log + ":\n  " + String.join("\n  ", last);
  }

  static List<String> readLines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The probe this supervisor checks readiness with. */
  public Probe probe() {
    return probe;
  }
}
