package dev.weft.bench.push;

import java.util.List;
import java.util.Locale;

/** The push benchmark's table: one row per fleet size. */
final class PushMarkdown {

    private PushMarkdown() {
    }

    static String render(String header, List<PushResult> results) {
        StringBuilder md = new StringBuilder(header);
        md.append("| proxies | synced after (s) | push p50 (ms) | p99 (ms) | max (ms) | after debounce p50 | p99 | max"
                + " | weftd heap per proxy (KB) | weftd CPU s, initial sync | weftd CPU s, one full push | weftd threads"
                + " | load avg before / after | note |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (PushResult r : results) {
            md.append("| ").append(r.proxies())
                    .append(" | ").append(f(r.syncSeconds(), 1))
                    .append(" | ").append(f(r.fromChange().p50Micros() / 1000, 0))
                    .append(" | ").append(f(r.fromChange().p99Micros() / 1000, 0))
                    .append(" | ").append(f(r.fromChange().maxMicros() / 1000, 0))
                    .append(" | ").append(f(r.afterDebounce().p50Micros() / 1000, 0))
                    .append(" | ").append(f(r.afterDebounce().p99Micros() / 1000, 0))
                    .append(" | ").append(f(r.afterDebounce().maxMicros() / 1000, 0))
                    .append(" | ").append(f(r.heapPerProxyKb(), 1))
                    .append(" | ").append(f(r.cpuSecondsInitialSync(), 2))
                    .append(" | ").append(f(r.cpuSecondsPush(), 2))
                    .append(" | ").append(r.weftdThreads())
                    .append(" | ").append(r.loadBefore()).append(" / ").append(r.loadAfter())
                    .append(" | ").append(r.error() == null ? "" : r.error()).append(" |\n");
        }
        return md.append('\n').toString();
    }

    private static String f(double value, int decimals) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }
}
