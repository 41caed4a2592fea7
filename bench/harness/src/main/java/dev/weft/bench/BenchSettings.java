package dev.weft.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a run is shaped: length of each measurement, the constant rate, rounds, and CPU placement ({@code taskset}
 * lists; empty means not pinned).
 */
record BenchSettings(Duration duration, Duration warmup, double rate, int rounds, String proxyCpus,
        String loadCpus, String path, long clockTicksPerSecond, Path workDir) {

    /** wrk and h2load get this long beyond their own duration before they are killed. */
    static final Duration COMMAND_GRACE = Duration.ofSeconds(20);

    List<String> pinnedToLoadCpus(List<String> argv) {
        return pinned(loadCpus, argv);
    }

    List<String> pinnedToProxyCpus(List<String> argv) {
        return pinned(proxyCpus, argv);
    }

    private static List<String> pinned(String cpus, List<String> argv) {
        if (cpus.isEmpty()) {
            return List.copyOf(argv);
        }
        List<String> out = new ArrayList<>(List.of("taskset", "-c", cpus));
        out.addAll(argv);
        return List.copyOf(out);
    }
}
