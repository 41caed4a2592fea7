package dev.weft.cli.local;

import java.time.Duration;

/**
 * How long to wait before restarting a process that died, as Kubernetes' CrashLoopBackOff does: the first restart
 * comes quickly, each further one in a row waits twice as long up to a cap, and a process that stayed up long
 * enough starts over from the first delay.
 *
 * @param first the delay before the first restart in a row
 * @param cap the longest delay
 * @param stable how long a process must have run for its next crash to count as a first one again
 */
public record RestartBackoff(Duration first, Duration cap, Duration stable) {

  public static final RestartBackoff DEFAULT = new RestartBackoff(Duration.ofMillis(500), Duration.ofSeconds(30),
      Duration.ofSeconds(60));

  /** The delay before restart number {@code inARow} (1 for the first) of crashes without a stable run between. */
  public Duration delay(int inARow) {
    long nanos = first.toNanos() << Math.min(Math.max(inARow - 1, 0), 30);
    return nanos <= 0 || nanos > cap.toNanos() ? cap : Duration.ofNanos(nanos);
  }

  /** The crash count in a row after a process that ran {@code ranFor} died, given the count before it. */
  public int inARow(int before, Duration ranFor) {
    return ranFor.compareTo(stable) >= 0 ? 1 : before + 1;
  }
}
