package dev.weft.proxy.filter.metadataexchange;

import com.google.protobuf.Any;
import dev.weft.proxy.filter.FilterContext;
import dev.weft.proxy.filter.NetworkFilterFactory;
import dev.weft.proxy.istio.PeerExchange;
import dev.weft.proxy.upstream.UpstreamNetworkFilter;
import java.util.function.Function;

/**
 * Istio's TCP metadata exchange ({@code istio.metadata_exchange}), by the type of its config: as a network filter
 * on a server's inbound chain it learns the client's workload ({@link PeerExchange#DOWNSTREAM}); as a cluster filter
 * on tcp_proxy's upstream connections it learns the server's ({@link PeerExchange#UPSTREAM}). Either side introduces
 * this proxy's own workload, the one Istio's stats know it as.
 */
public final class MetadataExchangeFilterParser {

    public static final String CONFIG_TYPE = MetadataExchangeConfig.MESSAGE;

    private MetadataExchangeFilterParser() {
    }

    public static NetworkFilterFactory network(Any any, FilterContext context) {
        MetadataExchangeConfig config = MetadataExchangeConfig.parse(any);
        byte[] frame = MetadataExchangeFrame.encode(context.istioMetrics().local().toNodeMetadata());
        return worker -> new MetadataExchangeHandler(config.protocol(), frame, ch -> {
            PeerExchange exchange = new PeerExchange();
            ch.attr(PeerExchange.DOWNSTREAM).set(exchange);
            return exchange;
        });
    }

    public static Function<Any, UpstreamNetworkFilter> cluster(FilterContext context) {
        return any -> {
            MetadataExchangeConfig config = MetadataExchangeConfig.parse(any);
            byte[] frame = MetadataExchangeFrame.encode(context.istioMetrics().local().toNodeMetadata());
            return downstream -> {
                PeerExchange exchange = new PeerExchange();
                downstream.attr(PeerExchange.UPSTREAM).set(exchange);
                return new MetadataExchangeHandler(config.protocol(), frame, upstream -> exchange);
            };
        };
    }
}
