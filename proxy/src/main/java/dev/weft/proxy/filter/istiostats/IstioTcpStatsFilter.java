package dev.weft.proxy.filter.istiostats;

import dev.weft.proxy.accesslog.AccessLogContext;
import dev.weft.proxy.accesslog.ConnectionLog;
import dev.weft.proxy.tls.PeerCertificates;
import dev.weft.proxy.istio.DestinationService;
import dev.weft.proxy.istio.IstioMetrics;
import dev.weft.proxy.istio.RequestLabels;
import dev.weft.proxy.istio.WorkloadMetadata;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Istio's stats filter in front of tcp_proxy: {@code istio_tcp_connections_opened_total} once the upstream is up,
 * and at the end {@code istio_tcp_connections_closed_total} with the bytes each way. A TCP peer does not say which
 * workload it is (Istio's ALPN metadata exchange is not implemented): the peer's labels are {@code unknown} but for
 * the principal its certificate proves. Counts are reported when the connection closes, not periodically.
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
        metrics.recordTcpOpened(downstream.eventLoop(), labels(downstream, cluster, 0));
    }

    @Override
    public void onConnectionClosed(Channel downstream, AccessLogContext finished) {
        metrics.recordTcpClosed(downstream.eventLoop(), labels(downstream, finished.upstreamCluster(),
                finished.responseFlags()), finished.bytesSent(), finished.bytesReceived());
    }

    private RequestLabels labels(Channel downstream, String cluster, int flags) {
        boolean source = config.sourceReporter();
        RequestLabels labels = new RequestLabels().parties(source, WorkloadMetadata.UNKNOWN,
                source ? DestinationService.ofCluster(cluster) : config.inboundService(null),
                metrics.local().identity(), source ? null : PeerCertificates.principal(downstream));
        labels.protocol = RequestLabels.Protocol.TCP;
        labels.responseFlags = flags;
        labels.grpcStatus = "";
        return labels.seal();
    }
}
