package dev.weft.proxy.upstream;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.SocketChannel;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Active health checking of one cluster: every interval each host gets an HTTP GET (2xx passes) or a TCP
 * connect. A host turns unhealthy after {@code unhealthy_threshold} failures in a row and healthy again after
 * {@code healthy_threshold} passes. Checks run off the event loops.
 */
public final class HealthChecker {

    private final UpstreamCluster cluster;
    private final HealthCheckConfig config;
    private final Executor executor;
    private final HttpClient http;
    private final Map<Host, AtomicInteger> streaks = new ConcurrentHashMap<>();
    private final LongAdder attempts;
    private final LongAdder failures;

    public HealthChecker(UpstreamCluster cluster, Executor executor, dev.weft.proxy.stats.Stats stats) {
        this.cluster = cluster;
        this.config = cluster.config().healthCheck();
        this.executor = executor;
        this.http = HttpClient.newBuilder().executor(executor).connectTimeout(config.timeout()).build();
        String p = "cluster." + cluster.name() + ".health_check.";
        attempts = stats.counter(p + "attempt");
        failures = stats.counter(p + "failure");
    }

    /** Checks every host once; the caller schedules this every interval. */
    public void checkAll() {
        List<Host> hosts = cluster.hosts();
        // Hosts that left with an EDS or DNS update take their streaks with them.
        streaks.keySet().retainAll(new HashSet<>(hosts));
        for (Host h : hosts) {
            attempts.increment();
            check(h).thenAccept(ok -> record(h, ok));
        }
    }

    /** A pipe host gets the connect check even under an HTTP health check (the JDK client speaks only TCP). */
    private CompletableFuture<Boolean> check(Host h) {
        if (config.path() == null || h.address() instanceof UnixDomainSocketAddress) {
            return CompletableFuture.supplyAsync(() -> connects(h.address()), executor);
        }
        URI uri = URI.create("http://" + h.label() + config.path());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(config.timeout()).GET();
        if (config.host() != null && !config.host().isEmpty()) {
            request.header("x-envoy-health-check-host", config.host());
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
                .thenApply(r -> r.statusCode() >= 200 && r.statusCode() < 300)
                .exceptionally(e -> false);
    }

    private boolean connects(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress pipe) {
            try (SocketChannel ignored = SocketChannel.open(pipe)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }
        try (Socket s = new Socket()) {
            s.connect(address, (int) config.timeout().toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A positive streak counts passes, a negative one failures. */
    private void record(Host h, boolean ok) {
        if (!ok) {
            failures.increment();
        }
        AtomicInteger streak = streaks.computeIfAbsent(h, x -> new AtomicInteger());
        int now = streak.updateAndGet(s -> ok ? Math.max(1, s + 1) : Math.min(-1, s - 1));
        if (!ok && -now >= config.unhealthyThreshold()) {
            cluster.setActiveHealth(h, false);
        } else if (ok && now >= config.healthyThreshold()) {
            cluster.setActiveHealth(h, true);
        }
    }
}
