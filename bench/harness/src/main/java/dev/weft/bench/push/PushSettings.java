package dev.weft.bench.push;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** How the push benchmark runs weftd and how long it waits for the fleet. */
record PushSettings(String java, String weftdClasspath, List<String> weftdJvmFlags, List<String> weftdPinning,
        int extraServices, Duration quietPeriod, Duration maxDelay, Duration syncBound, Duration settle,
        Duration pushBound, long clockTicksPerSecond, Path workDir) {

    PushSettings {
        weftdJvmFlags = List.copyOf(weftdJvmFlags);
        weftdPinning = List.copyOf(weftdPinning);
    }
}
