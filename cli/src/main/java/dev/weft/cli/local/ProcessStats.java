package dev.weft.cli.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Resident memory and CPU of a process, from /proc and the JDK's process info. */
public record ProcessStats(long rssKiB, Duration cpu, Duration uptime) {

  public static Optional<ProcessStats> of(ProcessHandle process, Instant now) {
    Optional<Long> rss = residentKiB(process.pid());
    if (rss.isEmpty()) {
      return Optional.empty();
    }
    Duration cpu = process.info().totalCpuDuration().orElse(Duration.ZERO);
    Duration uptime = process.info().startInstant().map(start -> Duration.between(start, now)).orElse(Duration.ZERO);
    return Optional.of(new ProcessStats(rss.get(), cpu, uptime));
  }

  /** CPU time over wall time since start, in percent of one core. */
  public double cpuPercent() {
    return uptime.isZero() ? 0 : 100.0 * cpu.toMillis() / uptime.toMillis();
  }

  static Optional<Long> residentKiB(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Optional.of(Long.parseLong(line.substring(6).replace("kB", "").trim()));
        }
      }
      return Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
