package dev.weft.proxy.server;

import dev.weft.proxy.accesslog.AccessLogWriter;
import dev.weft.proxy.config.Ticker;
import dev.weft.proxy.filter.FilterContext;
import dev.weft.proxy.filter.HttpFilterRegistry;
import dev.weft.proxy.filter.NetworkFilterRegistry;
import dev.weft.proxy.filter.cors.CorsFilterParser;
import dev.weft.proxy.filter.dynamicforwardproxy.DynamicForwardProxyFilterParser;
import dev.weft.proxy.filter.extauthz.ExtAuthzFilterParser;
import dev.weft.proxy.filter.extauthz.ExtAuthzNetworkFilterParser;
import dev.weft.proxy.filter.fault.FaultFilterParser;
import dev.weft.proxy.filter.istiostats.IstioStatsFilterParser;
import dev.weft.proxy.filter.jwt.JwtAuthnFilterParser;
import dev.weft.proxy.filter.metadataexchange.MetadataExchangeFilterParser;
import dev.weft.proxy.filter.ratelimit.LocalRateLimitFilterParser;
import dev.weft.proxy.filter.rbac.RbacFilterParser;
import dev.weft.proxy.filter.rbac.RbacNetworkFilterParser;
import dev.weft.proxy.filter.router.RouterFilterParser;
import dev.weft.proxy.identity.WorkloadIdentity;
import dev.weft.proxy.transport.Transport;
import dev.weft.proxy.upstream.ClusterFilterRegistry;
import java.nio.file.Path;
import java.time.Clock;

/**
 * How to run a proxy: worker threads, time, randomness (a seed makes tests repeatable), socket transport, the
 * HTTP filters it knows, how many access log lines may wait for the writer before new ones are dropped, and where its
 * workload certificate comes from. {@code randomSeed} null means seeded from the clock; {@code identity} null means
 * the proxy has no workload certificate of its own (its secrets come from the bootstrap or xDS only);
 * {@code xdsTokenFile} null means the ADS stream carries no bearer token.
 */
public record ProxyOptions(int workerThreads, Ticker ticker, Clock clock, Long randomSeed, Transport transport,
        HttpFilterRegistry filters, int accessLogQueue, WorkloadIdentity identity, Path xdsTokenFile) {

    public static ProxyOptions defaults() {
        return new ProxyOptions(Math.max(1, Runtime.getRuntime().availableProcessors()), Ticker.SYSTEM,
                Clock.systemUTC(), null, Transport.best(), defaultFilters(), AccessLogWriter.DEFAULT_CAPACITY, null,
                null);
    }

    /**
     * The filters this proxy ships with: fault, cors, local_ratelimit, jwt_authn, rbac, ext_authz, Istio's stats (as a
     * TypedStruct), dynamic_forward_proxy and the router.
     */
    public static HttpFilterRegistry defaultFilters() {
        return HttpFilterRegistry.builder()
                .register(RouterFilterParser.CONFIG_TYPE, RouterFilterParser.parser())
                .register(FaultFilterParser.CONFIG_TYPE, FaultFilterParser.parser())
                .register(CorsFilterParser.CONFIG_TYPE, CorsFilterParser.parser())
                .register(LocalRateLimitFilterParser.CONFIG_TYPE, LocalRateLimitFilterParser.parser())
                .register(JwtAuthnFilterParser.CONFIG_TYPE, JwtAuthnFilterParser.parser())
                .register(RbacFilterParser.CONFIG_TYPE, RbacFilterParser.parser())
                .register(RbacFilterParser.PER_ROUTE_TYPE, RbacFilterParser.perRouteParser())
                .register(ExtAuthzFilterParser.CONFIG_TYPE, ExtAuthzFilterParser.parser())
                .register(ExtAuthzFilterParser.PER_ROUTE_TYPE, ExtAuthzFilterParser.perRouteParser())
                .register(IstioStatsFilterParser.TYPED_STRUCT, IstioStatsFilterParser.parser())
                .register(DynamicForwardProxyFilterParser.CONFIG_TYPE, DynamicForwardProxyFilterParser.parser())
                .build();
    }

    /**
     * The network filters that may precede tcp_proxy or the connection manager: network RBAC, ext_authz, Istio's
     * TCP stats and Istio's TCP metadata exchange (both TypedStructs, known by the type they carry).
     */
    public static NetworkFilterRegistry defaultNetworkFilters() {
        return NetworkFilterRegistry.builder()
                .register(RbacNetworkFilterParser.CONFIG_TYPE, RbacNetworkFilterParser::parse)
                .register(ExtAuthzNetworkFilterParser.CONFIG_TYPE, ExtAuthzNetworkFilterParser::parse)
                .register(IstioStatsFilterParser.PLUGIN_CONFIG, IstioStatsFilterParser.networkParser())
                .register(MetadataExchangeFilterParser.CONFIG_TYPE, MetadataExchangeFilterParser::network)
                .build();
    }

    /** The upstream network filters clusters may name: Istio's TCP metadata exchange, introducing {@code context}'s workload. */
    public static ClusterFilterRegistry defaultClusterFilters(FilterContext context) {
        return ClusterFilterRegistry.builder()
                .register(MetadataExchangeFilterParser.CONFIG_TYPE, MetadataExchangeFilterParser.cluster(context))
                .build();
    }

    public ProxyOptions withWorkerThreads(int threads) {
        return new ProxyOptions(threads, ticker, clock, randomSeed, transport, filters, accessLogQueue, identity, xdsTokenFile);
    }

    public ProxyOptions withRandomSeed(long seed) {
        return new ProxyOptions(workerThreads, ticker, clock, seed, transport, filters, accessLogQueue, identity, xdsTokenFile);
    }

    /** Another filter registry, e.g. the defaults plus filters from other modules (jwt_authn, rbac, stats). */
    public ProxyOptions withFilters(HttpFilterRegistry newFilters) {
        return new ProxyOptions(workerThreads, ticker, clock, randomSeed, transport, newFilters, accessLogQueue,
                identity, xdsTokenFile);
    }

    public ProxyOptions withAccessLogQueue(int lines) {
        return new ProxyOptions(workerThreads, ticker, clock, randomSeed, transport, filters, lines, identity, xdsTokenFile);
    }

    /** The wall clock (access log start times, certificate validity); tests fix it. */
    public ProxyOptions withClock(Clock newClock) {
        return new ProxyOptions(workerThreads, ticker, newClock, randomSeed, transport, filters, accessLogQueue,
                identity, xdsTokenFile);
    }

    public ProxyOptions withTicker(Ticker newTicker) {
        return new ProxyOptions(workerThreads, newTicker, clock, randomSeed, transport, filters, accessLogQueue,
                identity, xdsTokenFile);
    }

    /** Fetch and renew a workload certificate from a CA (the secrets {@code default} and {@code ROOTCA}). */
    public ProxyOptions withIdentity(WorkloadIdentity newIdentity) {
        return new ProxyOptions(workerThreads, ticker, clock, randomSeed, transport, filters, accessLogQueue,
                newIdentity, xdsTokenFile);
    }

    /** Send this file's token as {@code authorization: Bearer} on the ADS stream, as Istio's agent does. */
    public ProxyOptions withXdsToken(Path tokenFile) {
        return new ProxyOptions(workerThreads, ticker, clock, randomSeed, transport, filters, accessLogQueue,
                identity, tokenFile);
    }
}
