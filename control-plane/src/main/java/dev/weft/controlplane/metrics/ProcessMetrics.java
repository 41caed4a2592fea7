package dev.weft.controlplane.metrics;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The standard Prometheus process metrics, read at scrape time: {@code process_cpu_seconds_total},
 * {@code process_start_time_seconds}, {@code process_resident_memory_bytes} (Linux), {@code process_open_fds} and
 * {@code process_max_fds} (Unix). What this platform cannot tell is left out.
 */
final class ProcessMetrics {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMetrics() {
    }

    static void register(MetricRegistry registry) {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof OperatingSystemMXBean process) {
            SampledMetric.counter(registry, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                    () -> process.getProcessCpuTime() / 1e9);
        }
        SampledMetric.gauge(registry, "process_start_time_seconds",
                "Start time of the process since unix epoch in seconds.",
                () -> ManagementFactory.getRuntimeMXBean().getStartTime() / 1e3);
        SampledMetric.gauge(registry, "process_resident_memory_bytes", "Resident memory size in bytes.", List.of(),
                () -> residentBytes().map(bytes -> List.of(new SampledMetric.Sample(List.of(), bytes))).orElse(List.of()));
        if (os instanceof UnixOperatingSystemMXBean unix) {
            SampledMetric.gauge(registry, "process_open_fds", "Number of open file descriptors.",
                    () -> (double) unix.getOpenFileDescriptorCount());
            SampledMetric.gauge(registry, "process_max_fds", "Maximum number of open file descriptors.",
                    () -> (double) unix.getMaxFileDescriptorCount());
        }
    }

    /** {@code VmRSS} of {@code /proc/self/status}, in bytes; empty where there is no such file. */
    private static Optional<Double> residentBytes() {
        try {
            return Files.readAllLines(STATUS).stream().filter(line -> line.startsWith("VmRSS:")).findFirst()
                    .map(line -> Double.parseDouble(line.replaceAll("[^0-9]", "")) * 1024);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
