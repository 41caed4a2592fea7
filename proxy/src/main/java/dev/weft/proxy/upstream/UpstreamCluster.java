package dev.weft.proxy.upstream;

import dev.weft.proxy.config.Ticker;
import dev.weft.proxy.stats.Histogram;
import dev.weft.proxy.stats.Stats;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A cluster at run time: its config, its hosts and their shared state, its circuit breakers and its outlier
 * detection. Per-event-loop state (load balancers, connection pools) lives in {@link UpstreamWorker}.
 */
public final class UpstreamCluster {

    /** Replaced only by an EDS update, which changes nothing but the endpoints. */
    private volatile ClusterConfig config;
    private final Ticker ticker;
    private final CircuitBreakers circuitBreakers;
    private final AtomicLong healthVersion = new AtomicLong();
    private volatile List<Host> hosts;
    private volatile CachedHostSet cached;
    final LongAdder requestsTotal;
    final LongAdder connectFailures;
    final LongAdder overflow;
    final LongAdder pendingTotal;
    final LongAdder pendingFailureEject;
    final LongAdder cancelled;
    final LongAdder connectionsTotal;
    final LongAdder originalDstHostInvalid;
    final LongAdder ejectionsTotal;
    final LongAdder[] responsesByClass;
    final LongAdder retries;
    final LongAdder timeouts;
    final LongAdder tlsFailures;
    final LongAdder tlsHandshakes;
    private final Histogram requestTime;

    private record CachedHostSet(long version, HostSet set) {
    }

    /** Hosts of an ORIGINAL_DST or DYNAMIC_FORWARD_PROXY cluster, made on first use; bounded so hostile destinations cannot grow it forever. */
    private final ConcurrentHashMap<InetSocketAddress, Host> originalDstHosts = new ConcurrentHashMap<>();
    private static final int MAX_ORIGINAL_DST_HOSTS = 4096;

    public UpstreamCluster(ClusterConfig config, List<Host> hosts, Ticker ticker, Stats stats) {
        this.config = config;
        this.hosts = List.copyOf(hosts);
        this.ticker = ticker;
        this.circuitBreakers = new CircuitBreakers(config.circuitBreakers());
        String p = "cluster." + config.name() + ".";
        requestsTotal = stats.counter(p + "upstream_rq_total");
        connectFailures = stats.counter(p + "upstream_cx_connect_fail");
        overflow = stats.counter(p + "upstream_rq_pending_overflow");
        pendingTotal = stats.counter(p + "upstream_rq_pending_total");
        pendingFailureEject = stats.counter(p + "upstream_rq_pending_failure_eject");
        cancelled = stats.counter(p + "upstream_rq_cancelled");
        connectionsTotal = stats.counter(p + "upstream_cx_total");
        circuitBreakers.publish(stats, p);
        originalDstHostInvalid = stats.counter(p + "original_dst_host_invalid");
        ejectionsTotal = stats.counter(p + "outlier_detection.ejections_enforced_total");
        retries = stats.counter(p + "upstream_rq_retry");
        timeouts = stats.counter(p + "upstream_rq_timeout");
        tlsFailures = stats.counter(p + "ssl.connection_error");
        tlsHandshakes = stats.counter(p + "ssl.handshake");
        requestTime = stats.histogram(p + "upstream_rq_time");
        responsesByClass = new LongAdder[6];
        for (int i = 1; i <= 5; i++) {
            responsesByClass[i] = stats.counter(p + "upstream_rq_" + i + "xx");
        }
    }

    /**
     * A cluster whose hosts are its configured endpoints, which must be IP literals or pipes (STATIC and EDS).
     * Endpoints at the address of one of {@code previous} (the hosts of the version it replaces) keep that host.
     */
    public static UpstreamCluster withStaticHosts(ClusterConfig config, List<Host> previous, Ticker ticker, Stats stats) {
        return new UpstreamCluster(config, staticHosts(config.endpoints(), previous), ticker, stats);
    }

    private static List<Host> staticHosts(List<EndpointConfig> endpoints, List<Host> previous) {
        KnownHosts known = new KnownHosts(previous);
        return endpoints.stream()
                .map(e -> known.take(e, e.pipe() ? UnixDomainSocketAddress.of(e.address()) : new InetSocketAddress(e.address(), e.port())))
                .toList();
    }

    /**
     * An EDS update: the same cluster (circuit breakers, stats, health checker) with new endpoints. Hosts at an
     * address it already had are kept with their state (pools, ejection, active health) and take the new weight,
     * priority and locality; hosts no longer listed leave, and event loops close their pools.
     */
    public void replaceEndpoints(List<EndpointConfig> endpoints) {
        List<Host> next = staticHosts(endpoints, hosts);
        config = config.withEndpoints(endpoints);
        replaceHosts(next);
    }

    public ClusterConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    public List<Host> hosts() {
        return hosts;
    }

    public CircuitBreakers circuitBreakers() {
        return circuitBreakers;
    }

    /** The host for an original destination (ORIGINAL_DST clusters). */
    public Host originalDstHost(InetSocketAddress destination) {
        if (originalDstHosts.size() >= MAX_ORIGINAL_DST_HOSTS) {
            originalDstHosts.clear();
        }
        return originalDstHosts.computeIfAbsent(destination, a -> new Host(
                new EndpointConfig(a.getAddress().getHostAddress(), a.getPort(), 1, 0, ""), a));
    }

    /**
     * DYNAMIC_FORWARD_PROXY: the host for a request's authority, resolved off the event loop; completes on any
     * thread, exceptionally when the name does not resolve.
     */
    public java.util.concurrent.CompletableFuture<Host> dynamicHost(String authority) {
        int defaultPort = config.tls() != null ? 443 : 80;
        return AuthorityResolver.resolve(authority, defaultPort, config.ipv4Only()).thenApply(this::originalDstHost);
    }

    /** Replaces the host list (DNS re-resolution, EDS); hosts with the same address keep their state. */
    public void replaceHosts(List<Host> newHosts) {
        hosts = List.copyOf(newHosts);
        healthVersion.incrementAndGet();
    }

    /** The routable hosts now. Recomputed only after a health change or when an ejection is due to end. */
    public HostSet hostSet() {
        long now = ticker.nanos();
        long version = healthVersion.get();
        CachedHostSet c = cached;
        if (c != null && c.version() == version && c.set().validAt(now)) {
            return c.set();
        }
        long validUntil = Long.MAX_VALUE;
        for (Host h : hosts) {
            if (h.isEjected()) {
                if (now - h.ejectedUntilNanos() >= 0) {
                    h.uneject();
                } else {
                    validUntil = Math.min(validUntil, h.ejectedUntilNanos());
                }
            }
        }
        HostSet set = HostSet.of(hosts, validUntil, config.localityWeighted());
        cached = new CachedHostSet(version, set);
        return set;
    }

    public void requestStarted() {
        requestsTotal.increment();
    }

    /** An ORIGINAL_DST request named a destination that is not an IP address and port. */
    public void originalDestinationInvalid() {
        originalDstHostInvalid.increment();
    }

    public void overflowed() {
        overflow.increment();
    }

    /** An upstream request completed after {@code millis} (upstream_rq_time). */
    public void recordRequestTime(long millis) {
        requestTime.record(millis);
    }

    public void retried() {
        retries.increment();
    }

    public void timedOut() {
        timeouts.increment();
    }

    /** Passive health: counts consecutive failures per host and ejects a host that crosses a threshold. */
    public void recordResponse(Host host, int status) {
        responsesByClass[Math.max(1, Math.min(5, status / 100))].increment();
        OutlierDetectionConfig od = config.outlierDetection();
        if (od == null) {
            return;
        }
        if (status >= 500) {
            boolean gateway = status == 502 || status == 503 || status == 504;
            int fives = host.consecutive5xx().incrementAndGet();
            int gateways = gateway ? host.consecutiveGatewayFailures().incrementAndGet() : 0;
            if (!gateway) {
                host.consecutiveGatewayFailures().set(0);
            }
            if ((od.consecutive5xx() > 0 && fives >= od.consecutive5xx())
                    || (od.consecutiveGatewayFailure() > 0 && gateways >= od.consecutiveGatewayFailure())) {
                maybeEject(host, od);
            }
        } else {
            host.consecutive5xx().set(0);
            host.consecutiveGatewayFailures().set(0);
        }
    }

    /** A connect failure or reset counts as a gateway failure and a 5xx, as Envoy counts it. */
    public void recordConnectFailure(Host host) {
        connectFailures.increment();
        recordResponse(host, 503);
    }

    private void maybeEject(Host host, OutlierDetectionConfig od) {
        if (host.isEjected()) {
            return;
        }
        long ejectedNow = hosts.stream().filter(Host::isEjected).count();
        // Envoy ejects at least one host even when the percentage would round down to zero.
        if (ejectedNow > 0 && (ejectedNow + 1) * 100 > (long) od.maxEjectionPercent() * hosts.size()) {
            return;
        }
        long times = host.ejectionCount() + 1L;
        long duration = Math.min(od.baseEjectionTime().toNanos() * times,
                Math.max(od.baseEjectionTime().toNanos(), od.maxEjectionTime().toNanos()));
        host.eject(ticker.nanos() + duration);
        host.consecutive5xx().set(0);
        host.consecutiveGatewayFailures().set(0);
        ejectionsTotal.increment();
        healthVersion.incrementAndGet();
    }

    /** Active health checking reports here; a change of state re-computes the host set. */
    public void setActiveHealth(Host host, boolean healthy) {
        if (host.failedActiveHealthCheck() == healthy) {
            host.setFailedActiveHealthCheck(!healthy);
            healthVersion.incrementAndGet();
        }
    }
}
