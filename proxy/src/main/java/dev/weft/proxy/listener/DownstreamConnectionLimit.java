package dev.weft.proxy.listener;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.config.MessageType;
import dev.weft.proxy.stats.Stats;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.overload.v3.ResourceMonitor;
import io.envoyproxy.envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * The most downstream connections the proxy holds at once, over all listeners: Envoy's overload manager monitor
 * {@code envoy.resource_monitors.global_downstream_max_connections}. A connection past it is closed as soon as it
 * is accepted, so the proxy never runs out of file descriptors and keeps serving the connections it has. Unlike
 * Envoy, which has no limit unless configured, the default is derived from the process's descriptor limit: half
 * of what is neither open at start (jars, event loops) nor kept in reserve (listeners, admin, logs, DNS, jars that
 * open later), since each proxied connection also needs an upstream one.
 */
public final class DownstreamConnectionLimit {

    private static final MessageType<DownstreamConnectionsConfig> CONFIG = MessageType.of(
            DownstreamConnectionsConfig.getDescriptor(), DownstreamConnectionsConfig.parser());

    static final String MONITOR_NAME = "envoy.resource_monitors.global_downstream_max_connections";
    /** Descriptors kept for what opens after start: listeners, admin, logs, DNS, jars loaded later. */
    private static final long RESERVED_DESCRIPTORS = 64;
    private static final String OPEN_FILES = "Max open files";

    private final long max;
    private final AtomicLong active = new AtomicLong();
    private final LongAdder overflows;

    DownstreamConnectionLimit(long max, Stats stats) {
        this.max = max;
        this.overflows = stats.counter("overload." + MONITOR_NAME + ".overflow");
        stats.gauge("overload." + MONITOR_NAME + ".limit").add(max);
    }

    /** The configured monitor's limit, or the default from the descriptor limit. */
    public static DownstreamConnectionLimit of(Bootstrap bootstrap, Stats stats) {
        for (ResourceMonitor m : bootstrap.getOverloadManager().getResourceMonitorsList()) {
            if (m.getName().equals(MONITOR_NAME)
                    || CONFIG.isIn(m.getTypedConfig())) {
                long configured = unpack(m).getMaxActiveDownstreamConnections();
                if (configured < 1) {
                    throw new ConfigException(MONITOR_NAME + ": max_active_downstream_connections must be at least 1");
                }
                return new DownstreamConnectionLimit(configured, stats);
            }
        }
        OptionalLong descriptors = openFilesLimit(Path.of("/proc/self/limits"));
        if (descriptors.isPresent()) {
            return new DownstreamConnectionLimit(defaultLimit(descriptors.getAsLong(),
                    openDescriptors(Path.of("/proc/self/fd"))), stats);
        }
        return new DownstreamConnectionLimit(Long.MAX_VALUE, stats);
    }

    /**
     * The soft limit on open files, from a {@code /proc/PID/limits} file ("Max open files  SOFT  HARD  files"), if
     * it can be read. Read from /proc rather than through the JDK's management beans, which load some 60 classes
     * (JMX, the container metrics) into every proxy for these two numbers.
     */
    static OptionalLong openFilesLimit(Path limits) {
        try {
            for (String line : Files.readAllLines(limits)) {
                if (line.startsWith(OPEN_FILES)) {
                    String soft = line.substring(OPEN_FILES.length()).trim().split("\\s+")[0];
                    return OptionalLong.of(soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft));
                }
            }
        } catch (IOException | NumberFormatException | UncheckedIOException e) {
            // Not Linux, or not a format we know: no default limit, as in Envoy.
        }
        return OptionalLong.empty();
    }

    private static long openDescriptors(Path descriptors) {
        try (Stream<Path> open = Files.list(descriptors)) {
            return open.count();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    static long defaultLimit(long maxDescriptors, long openDescriptors) {
        return Math.max(16, (maxDescriptors - openDescriptors - RESERVED_DESCRIPTORS) / 2);
    }

    private static DownstreamConnectionsConfig unpack(ResourceMonitor m) {
        try {
            return CONFIG.unpack(m.getTypedConfig());
        } catch (InvalidProtocolBufferException e) {
            throw new ConfigException(MONITOR_NAME + " config does not parse: " + e.getMessage());
        }
    }

    /** Takes a slot for a new connection; false (and counted) when the proxy is full. */
    boolean tryAcquire() {
        if (active.incrementAndGet() > max) {
            active.decrementAndGet();
            overflows.increment();
            return false;
        }
        return true;
    }

    void release() {
        active.decrementAndGet();
    }

    public long max() {
        return max;
    }
}
