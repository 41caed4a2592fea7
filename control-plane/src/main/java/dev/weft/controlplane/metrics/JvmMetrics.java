package dev.weft.controlplane.metrics;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The JVM's memory and threads under Prometheus client_java's names, read at scrape time:
 * {@code jvm_memory_used_bytes}, {@code jvm_memory_committed_bytes} and {@code jvm_memory_max_bytes} by {@code area}
 * ({@code heap}, {@code nonheap}), {@code jvm_threads_current} and {@code jvm_threads_daemon}. They stand where
 * istiod's dashboard reads the Go runtime's {@code go_memstats_*} and {@code go_goroutines}.
 */
final class JvmMetrics {

    private JvmMetrics() {
    }

    static void register(MetricRegistry registry) {
        memory(registry, "jvm_memory_used_bytes", "Used bytes of a given JVM memory area.", MemoryUsage::getUsed);
        memory(registry, "jvm_memory_committed_bytes", "Committed bytes of a given JVM memory area.",
                MemoryUsage::getCommitted);
        memory(registry, "jvm_memory_max_bytes", "Max bytes of a given JVM memory area (-1 when unbounded).",
                MemoryUsage::getMax);
        var threads = ManagementFactory.getThreadMXBean();
        SampledMetric.gauge(registry, "jvm_threads_current", "Current thread count of a JVM.",
                () -> (double) threads.getThreadCount());
        SampledMetric.gauge(registry, "jvm_threads_daemon", "Daemon thread count of a JVM.",
                () -> (double) threads.getDaemonThreadCount());
    }

    private static void memory(MetricRegistry registry, String name, String help, ToLongFunction<MemoryUsage> value) {
        var memory = ManagementFactory.getMemoryMXBean();
        SampledMetric.gauge(registry, name, help, List.of("area"), () -> List.of(
                new SampledMetric.Sample(List.of("heap"), value.applyAsLong(memory.getHeapMemoryUsage())),
                new SampledMetric.Sample(List.of("nonheap"), value.applyAsLong(memory.getNonHeapMemoryUsage()))));
    }
}
