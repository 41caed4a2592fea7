package dev.weft.proxy.listener;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.config.MessageType;
import dev.weft.proxy.config.TypedConfigs;
import dev.weft.proxy.filter.FilterContext;
import dev.weft.proxy.filter.NetworkFilterFactory;
import dev.weft.proxy.filter.NetworkFilterRegistry;
import dev.weft.proxy.http.HttpConnectionManagerCompiler;
import dev.weft.proxy.matcher.CidrRange;
import dev.weft.proxy.stats.Stats;
import dev.weft.proxy.tcp.TcpProxyCompiler;
import dev.weft.proxy.tls.DownstreamTls;
import dev.weft.proxy.tls.SecretLookup;
import dev.weft.proxy.tls.TlsContextCompiler;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.ArrayList;
import java.util.List;

/** Compiles a {@link Listener} proto into a {@link ListenerConfig}, or throws {@link ConfigException}. */
public final class ListenerCompiler {

    private static final MessageType<TlsInspector> TLS_INSPECTOR = MessageType.of(
            TlsInspector.getDescriptor(), TlsInspector.parser());
    private static final MessageType<HttpInspector> HTTP_INSPECTOR = MessageType.of(
            HttpInspector.getDescriptor(), HttpInspector.parser());
    private static final MessageType<OriginalDst> ORIGINAL_DST = MessageType.of(
            OriginalDst.getDescriptor(), OriginalDst.parser());
    private static final MessageType<HttpConnectionManager> HCM = MessageType.of(
            HttpConnectionManager.getDescriptor(), HttpConnectionManager.parser());
    private static final MessageType<TcpProxy> TCP_PROXY = MessageType.of(TcpProxy.getDescriptor(), TcpProxy.parser());

    private final HttpConnectionManagerCompiler http;
    private final Stats stats;
    private final NetworkFilterRegistry networkFilters;
    private final FilterContext networkFilterContext;

    public ListenerCompiler(HttpConnectionManagerCompiler http, Stats stats, NetworkFilterRegistry networkFilters,
            FilterContext networkFilterContext) {
        this.http = http;
        this.stats = stats;
        this.networkFilters = networkFilters;
        this.networkFilterContext = networkFilterContext;
    }

    /** Compiles with no SDS secrets known: chains that name one will wait for it. */
    public ListenerConfig compile(Listener l) {
        return compile(l, SecretLookup.NONE);
    }

    public ListenerConfig compile(Listener l, SecretLookup secrets) {
        if (l.getName().isEmpty()) {
            throw new ConfigException("listener needs a name");
        }
        if (!l.getAddress().hasSocketAddress()) {
            throw new ConfigException("listener needs address.socket_address");
        }
        var sa = l.getAddress().getSocketAddress();
        boolean tls = false;
        boolean httpInspector = false;
        boolean handOff = l.hasUseOriginalDst() && l.getUseOriginalDst().getValue();
        boolean originalDst = handOff;
        for (var f : l.getListenerFiltersList()) {
            var any = f.getTypedConfig();
            if (TLS_INSPECTOR.isIn(any) || f.getName().equals("envoy.filters.listener.tls_inspector")) {
                tls = true;
            } else if (HTTP_INSPECTOR.isIn(any) || f.getName().equals("envoy.filters.listener.http_inspector")) {
                httpInspector = true;
            } else if (ORIGINAL_DST.isIn(any) || f.getName().equals("envoy.filters.listener.original_dst")) {
                originalDst = true;
            } else {
                throw new ConfigException("unsupported listener filter '" + f.getName() + "'");
            }
        }
        List<FilterChainConfig> chains = new ArrayList<>();
        for (FilterChain fc : l.getFilterChainsList()) {
            chains.add(chain(fc, secrets, l.getTrafficDirection()));
        }
        FilterChainConfig fallback = l.hasDefaultFilterChain()
                ? chain(l.getDefaultFilterChain(), secrets, l.getTrafficDirection()) : null;
        if (chains.isEmpty() && fallback == null) {
            throw new ConfigException("listener has no filter chains");
        }
        return new ListenerConfig(l.getName(), sa.getAddress().isEmpty() ? "0.0.0.0" : sa.getAddress(),
                sa.getPortValue(), chains, fallback, tls, httpInspector, originalDst,
                l.hasTransparent() && l.getTransparent().getValue(), handOff, bindToPort(l), ListenerStats.of(stats, statPrefix(l)));
    }

    /** {@code bind_to_port}, or its v2-era place {@code deprecated_v1.bind_to_port}; true when neither is set. */
    private static boolean bindToPort(Listener l) {
        if (l.hasBindToPort()) {
            return l.getBindToPort().getValue();
        }
        return !l.getDeprecatedV1().hasBindToPort() || l.getDeprecatedV1().getBindToPort().getValue();
    }

    /** Envoy's listener stat prefix: the configured one, else "address_port". */
    private static String statPrefix(Listener l) {
        if (!l.getStatPrefix().isEmpty()) {
            return l.getStatPrefix();
        }
        var sa = l.getAddress().getSocketAddress();
        return (sa.getAddress().isEmpty() ? "0.0.0.0" : sa.getAddress()) + "_" + sa.getPortValue();
    }

    /** A network filter in front of the terminal one (network RBAC), by the type of its typed config. */
    private NetworkFilterFactory readFilter(io.envoyproxy.envoy.config.listener.v3.Filter f) {
        var parser = networkFilters.parser(f.getTypedConfig());
        if (parser.isEmpty()) {
            throw new ConfigException("unsupported network filter '" + f.getName() + "' ("
                    + TypedConfigs.typeUrl(f.getTypedConfig()) + ")");
        }
        try {
            return parser.get().apply(f.getTypedConfig(), networkFilterContext);
        } catch (ConfigException e) {
            throw new ConfigException("network filter '" + f.getName() + "': " + e.getMessage());
        }
    }

    private FilterChainConfig chain(FilterChain fc, SecretLookup secrets, TrafficDirection direction) {
        var m = fc.getFilterChainMatch();
        if (m.getDirectSourcePrefixRangesCount() > 0 || m.getSourcePortsCount() > 0) {
            throw new ConfigException("filter chain '" + fc.getName()
                    + "': direct_source_prefix_ranges and source_ports are not supported yet");
        }
        List<CidrRange> destinations = m.getPrefixRangesList().stream()
                .map(r -> CidrRange.parse(r.getAddressPrefix(), r.hasPrefixLen() ? r.getPrefixLen().getValue() : -1))
                .toList();
        List<CidrRange> sources = m.getSourcePrefixRangesList().stream()
                .map(r -> CidrRange.parse(r.getAddressPrefix(), r.hasPrefixLen() ? r.getPrefixLen().getValue() : -1))
                .toList();
        FilterChainMatchSpec spec = new FilterChainMatchSpec(m.hasDestinationPort() ? m.getDestinationPort().getValue() : 0,
                destinations, java.util.Set.copyOf(m.getServerNamesList()), m.getTransportProtocol(),
                java.util.Set.copyOf(m.getApplicationProtocolsList()), sources);
        if (fc.getFiltersCount() == 0) {
            throw new ConfigException("filter chain '" + fc.getName() + "' has no network filters");
        }
        var last = fc.getFilters(fc.getFiltersCount() - 1);
        var any = last.getTypedConfig();
        try {
            DownstreamTls tls = fc.hasTransportSocket() ? TlsContextCompiler.downstream(fc.getTransportSocket(), secrets) : null;
            NetworkFilter filter;
            if (HCM.isIn(any)) {
                filter = new NetworkFilter.Http(http.compile(HCM.unpack(any), direction));
            } else if (TCP_PROXY.isIn(any)) {
                filter = new NetworkFilter.Tcp(TcpProxyCompiler.compile(TCP_PROXY.unpack(any), stats,
                        http.accessLogs()));
            } else {
                throw new ConfigException("network filter '" + last.getName() + "' (" + any.getTypeUrl()
                        + ") cannot end a filter chain: tcp_proxy or http_connection_manager must");
            }
            List<NetworkFilterFactory> readFilters = new ArrayList<>();
            for (var f : fc.getFiltersList().subList(0, fc.getFiltersCount() - 1)) {
                readFilters.add(readFilter(f));
            }
            return new FilterChainConfig(fc.getName(), spec, readFilters, filter, tls, fc, new ChainConnections());
        } catch (InvalidProtocolBufferException e) {
            throw new ConfigException("network filter '" + last.getName() + "' does not parse: " + e.getMessage());
        } catch (ConfigException e) {
            throw new ConfigException("filter chain '" + fc.getName() + "': " + e.getMessage());
        }
    }
}
