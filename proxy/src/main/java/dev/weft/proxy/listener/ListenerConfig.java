package dev.weft.proxy.listener;

import java.util.List;

/**
 * A validated listener. {@code inspectTls}/{@code inspectHttp} say whether the first bytes must be read to
 * learn the transport and application protocol before choosing a chain; {@code useOriginalDst} whether
 * connections carry the destination they had before redirection (the original_dst listener filter);
 * {@code transparent} whether the socket accepts connections to any address (TPROXY, IP_TRANSPARENT).
 */
public record ListenerConfig(String name, String address, int port, List<FilterChainConfig> chains,
        FilterChainConfig defaultChain, boolean inspectTls, boolean inspectHttp, boolean useOriginalDst,
        boolean transparent) {

    public ListenerConfig {
        chains = List.copyOf(chains);
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
