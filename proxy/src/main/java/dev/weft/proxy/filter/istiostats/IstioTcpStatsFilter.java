package dev.weft.proxy.filter.istiostats;

import dev.weft.proxy.accesslog.AccessLogContext;
import dev.weft.proxy.accesslog.ConnectionLog;
import dev.weft.proxy.tls.PeerCertificates;
import dev.weft.proxy.istio.DestinationService;
import dev.weft.proxy.istio.IstioMetrics;
import dev.weft.proxy.istio.PeerExchange;
import dev.weft.proxy.istio.RequestLabels;
import dev.weft.proxy.istio.WorkloadMetadata;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Istio's stats filter in front of tcp_proxy: {@code istio_tcp_connections_opened_total} once the upstream is up and
 * the peer is known, and at the end {@code istio_tcp_connections_closed_total} with the bytes each way. The peer is
 * the workload Istio's TCP metadata exchange learnt (the server's on the upstream connection for the source
 * reporter, the client's for the destination reporter), {@code unknown} without an exchange or when the peer sent no
 * frame; a connection that ends before its exchange does counts the peer as unknown. Counts are reported when the
 * connection closes, not periodically.
 */
@ChannelHandler.Sharable
final class IstioTcpStatsFilter extends ChannelInboundHandlerAdapter implements ConnectionLog {

    private final IstioStatsConfig config;
    private final IstioMetrics metrics;

    IstioTcpStatsFilter(IstioStatsConfig config, IstioMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    @Override
    public void onUpstreamConnected(Channel downstream, String cluster) {
        PeerExchange exchange = exchange(downstream);
        if (exchange == null) {
            metrics.recordTcpOpened(downstream.eventLoop(), labels(downstream, WorkloadMetadata.UNKNOWN, cluster, 0));
        } else {
            exchange.whenSettled(peer -> metrics.recordTcpOpened(downstream.eventLoop(),
                    labels(downstream, peer, cluster, 0)));
        }
    }

    @Override
    public void onConnectionClosed(Channel downstream, AccessLogContext finished) {
        PeerExchange exchange = exchange(downstream);
        WorkloadMetadata peer = exchange == null ? WorkloadMetadata.UNKNOWN : exchange.conclude();
        metrics.recordTcpClosed(downstream.eventLoop(), labels(downstream, peer, finished.upstreamCluster(),
                finished.responseFlags()), finished.bytesSent(), finished.bytesReceived());
    }

    /** The exchange that names this reporter's peer, if the connection has one. */
    private PeerExchange exchange(Channel downstream) {
        return downstream.attr(config.sourceReporter() ? PeerExchange.UPSTREAM : PeerExchange.DOWNSTREAM).get();
    }

    private RequestLabels labels(Channel downstream, WorkloadMetadata peer, String cluster, int flags) {
        boolean source = config.sourceReporter();
        RequestLabels labels = new RequestLabels().parties(source, peer,
                source ? DestinationService.ofCluster(cluster) : config.inboundService(null),
                metrics.local().identity(), source ? null : PeerCertificates.principal(downstream));
        labels.protocol = RequestLabels.Protocol.TCP;
        labels.responseFlags = flags;
        labels.grpcStatus = "";
        return labels.seal();
    }
}
