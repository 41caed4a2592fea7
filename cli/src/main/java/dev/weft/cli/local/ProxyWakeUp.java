package dev.weft.cli.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
* After the supervisor restarted weftd: waits until the new weftd answers its health probe, then tells every proxy
* (its admin {@code POST /xds/reconnect}) so that none waits out the rest of its reconnect back-off.
*/
final class ProxyWakeUp {

  /** How long a restarted weftd gets to become healthy before the proxies are left to their own back-off. */
  static final Duration WEFTD_READY_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(50);

  private ProxyWakeUp() {
  }

  /** Runs on its own virtual thread; never blocks the caller. */
  static void after(ProcessRecord weftd, List<ProcessRecord> proxies, Probe probe, Clock clock,
      Consumer<String> progress) {
    Thread.ofVirtual().name("weft-wake-proxies").start(() -> {
      Instant deadline = clock.instant().plus(WEFTD_READY_TIMEOUT);
      while (!probe.check(weftd.health()).healthy()) {
        if (clock.instant().isAfter(deadline)) {
          progress.accept("weftd is not healthy " + WEFTD_READY_TIMEOUT.toSeconds()
              + " s after its restart: proxies reconnect on their own back-off");
          return;
        }
        try {
          Thread.sleep(POLL);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      for (ProcessRecord proxy : proxies) {
        probe.post(proxy.admin() + "/xds/reconnect");
      }
      progress.accept("weftd is back: told " + proxies.size() + " proxies to reconnect now");
    });
  }
}
