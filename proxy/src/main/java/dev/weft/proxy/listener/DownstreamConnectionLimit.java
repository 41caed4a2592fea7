package dev.weft.proxy.listener;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.stats.Stats;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.overload.v3.ResourceMonitor;
import io.envoyproxy.envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The most downstream connections the proxy holds at once, over all listeners: Envoy's overload manager monitor
 * {@code envoy.resource_monitors.global_downstream_max_connections}. A connection past it is closed as soon as it
 * is accepted, so the proxy never runs out of file descriptors and keeps serving the connections it has. Unlike
 * Envoy, which has no limit unless configured, the default is derived from the process's descriptor limit: half
 * of what is neither open at start (jars, event loops) nor kept in reserve (listeners, admin, logs, DNS, jars that
 * open later), since each proxied connection also needs an upstream one.
 */
public final class DownstreamConnectionLimit {

    static final String MONITOR_NAME = "envoy.resource_monitors.global_downstream_max_connections";
    /** Descriptors kept for what opens after start: listeners, admin, logs, DNS, jars loaded later. */
    private static final long RESERVED_DESCRIPTORS = 64;

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
                    || m.getTypedConfig().is(DownstreamConnectionsConfig.class)) {
                long configured = unpack(m).getMaxActiveDownstreamConnections();
                if (configured < 1) {
                    throw new ConfigException(MONITOR_NAME + ": max_active_downstream_connections must be at least 1");
                }
                return new DownstreamConnectionLimit(configured, stats);
            }
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return new DownstreamConnectionLimit(defaultLimit(unix.getMaxFileDescriptorCount(),
                    unix.getOpenFileDescriptorCount()), stats);
        }
        return new DownstreamConnectionLimit(Long.MAX_VALUE, stats);
    }

    static long defaultLimit(long maxDescriptors, long openDescriptors) {
        return Math.max(16, (maxDescriptors - openDescriptors - RESERVED_DESCRIPTORS) / 2);
    }

    private static DownstreamConnectionsConfig unpack(ResourceMonitor m) {
        try {
            return m.getTypedConfig().unpack(DownstreamConnectionsConfig.class);
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
