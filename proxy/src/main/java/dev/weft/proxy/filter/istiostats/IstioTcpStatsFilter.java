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
import io.netty.util.AttributeKey;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Istio's stats filter in front of tcp_proxy: {@code istio_tcp_connections_opened_total} once the upstream is up and
 * the peer is known, the bytes each way every {@code tcp_reporting_duration} while the connection lasts (so a
 * long-lived connection shows its traffic before it ends, as Istio's does), and at the end
 * {@code istio_tcp_connections_closed_total} with the bytes not yet reported. The peer is the workload Istio's TCP
 * metadata exchange learnt (the server's on the upstream connection for the source reporter, the client's for the
 * destination reporter), {@code unknown} without an exchange or when the peer sent no frame; a connection that ends
 * before its exchange does counts the peer as unknown.
 */
@ChannelHandler.Sharable
final class IstioTcpStatsFilter extends ChannelInboundHandlerAdapter implements ConnectionLog {

    /** An open connection's reports: its labels once its peer is known, and the bytes reported so far. */
    private static final class OpenConnection {
        private RequestLabels labels;
        private long sent;
        private long received;
        private ScheduledFuture<?> timer;
    }

    private static final AttributeKey<OpenConnection> OPEN = AttributeKey.valueOf("weft.istio.tcp.open");

    private final IstioStatsConfig config;
    private final IstioMetrics metrics;

    IstioTcpStatsFilter(IstioStatsConfig config, IstioMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    @Override
    public void onUpstreamConnected(Channel downstream, String cluster, AccessLogContext live) {
        OpenConnection open = new OpenConnection();
        downstream.attr(OPEN).set(open);
        Consumer<WorkloadMetadata> opened = peer -> {
            open.labels = labels(downstream, peer, cluster, 0);
            metrics.recordTcpOpened(downstream.eventLoop(), open.labels);
            if (downstream.attr(OPEN).get() == open) {
                long every = config.tcpReportingInterval().toNanos();
                open.timer = downstream.eventLoop().scheduleAtFixedRate(() -> report(downstream, open, live),
                        every, every, TimeUnit.NANOSECONDS);
            }
        };
        PeerExchange exchange = exchange(downstream);
        if (exchange == null) {
            opened.accept(WorkloadMetadata.UNKNOWN);
        } else {
            exchange.whenSettled(opened);
        }
    }

    private void report(Channel downstream, OpenConnection open, AccessLogContext live) {
        long sent = live.bytesSent();
        long received = live.bytesReceived();
        if (sent != open.sent || received != open.received) {
            metrics.recordTcpBytes(downstream.eventLoop(), open.labels, sent - open.sent, received - open.received);
            open.sent = sent;
            open.received = received;
        }
    }

    @Override
    public void onConnectionClosed(Channel downstream, AccessLogContext finished) {
        OpenConnection open = downstream.attr(OPEN).getAndSet(null);
        PeerExchange exchange = exchange(downstream);
        WorkloadMetadata peer = exchange == null ? WorkloadMetadata.UNKNOWN : exchange.conclude();
        long reportedSent = 0;
        long reportedReceived = 0;
        if (open != null) {
            if (open.timer != null) {
                open.timer.cancel(false);
            }
            reportedSent = open.sent;
            reportedReceived = open.received;
        }
        metrics.recordTcpClosed(downstream.eventLoop(), labels(downstream, peer, finished.upstreamCluster(),
                finished.responseFlags()), finished.bytesSent() - reportedSent,
                finished.bytesReceived() - reportedReceived);
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
