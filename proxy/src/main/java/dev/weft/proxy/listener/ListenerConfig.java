package dev.weft.proxy.listener;

import java.util.List;
import java.util.stream.Stream;

/**
 * A validated listener. {@code inspectTls}/{@code inspectHttp} say whether the first bytes must be read to
 * learn the transport and application protocol before choosing a chain; {@code useOriginalDst} whether
 * connections carry the destination they had before redirection (the original_dst listener filter, or
 * {@code use_original_dst}); {@code handOff} whether they go to the listener at that destination (only
 * {@code use_original_dst: true}, as in Envoy: Istio's virtualInbound restores the destination without it);
 * {@code transparent} whether the socket accepts connections to any address (TPROXY, IP_TRANSPARENT);
 * {@code bindToPort} false: the listener opens no socket and only serves connections an original-destination
 * listener hands over to it.
 */
public record ListenerConfig(String name, String address, int port, List<FilterChainConfig> chains,
        FilterChainConfig defaultChain, boolean inspectTls, boolean inspectHttp, boolean useOriginalDst,
        boolean transparent, boolean handOff, boolean bindToPort, ListenerStats stats) {

    public ListenerConfig {
        chains = List.copyOf(chains);
    }

    public ListenerConfig(String name, String address, int port, List<FilterChainConfig> chains,
            FilterChainConfig defaultChain, boolean inspectTls, boolean inspectHttp, boolean useOriginalDst,
            boolean transparent) {
        this(name, address, port, chains, defaultChain, inspectTls, inspectHttp, useOriginalDst, transparent, false,
                true, ListenerStats.NONE);
    }

    /** SDS secrets this listener needs before it may serve (it warms until they arrive). */
    public List<String> missingSecrets() {
        return allChains().filter(c -> c.tls() != null)
                .flatMap(c -> c.tls().missingSecrets().stream())
                .distinct()
                .toList();
    }

    /** Every chain's TLS termination, for the admin's /certs. */
    public List<dev.weft.proxy.tls.DownstreamTls> tlsContexts() {
        return allChains().filter(c -> c.tls() != null).map(FilterChainConfig::tls).toList();
    }

    Stream<FilterChainConfig> allChains() {
        return defaultChain == null ? chains.stream() : Stream.concat(chains.stream(), Stream.of(defaultChain));
    }

    /** Route configurations (RDS names) this listener needs before it may serve. */
    public List<String> rdsNames() {
        return chains.stream()
                .map(FilterChainConfig::filter)
                .filter(f -> f instanceof NetworkFilter.Http h && h.config().rdsName() != null)
                .map(f -> ((NetworkFilter.Http) f).config().rdsName())
                .distinct()
                .toList();
    }
}
