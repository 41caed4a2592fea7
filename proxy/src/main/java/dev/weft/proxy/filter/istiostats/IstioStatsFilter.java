package dev.weft.proxy.filter.istiostats;

import dev.weft.proxy.accesslog.AccessLogContext;
import dev.weft.proxy.filter.FilterStatus;
import dev.weft.proxy.filter.HttpFilter;
import dev.weft.proxy.filter.StreamFilterCallbacks;
import dev.weft.proxy.istio.DestinationService;
import dev.weft.proxy.istio.IstioMetrics;
import dev.weft.proxy.istio.RequestLabels;
import dev.weft.proxy.istio.WorkloadMetadata;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.HashMap;
import java.util.Map;

/**
 * Istio's stats filter with its HTTP peer metadata exchange: a sidecar's outbound side sends its own workload in
 * {@code x-envoy-peer-metadata} and learns the server's from the response; the inbound side learns the client's from
 * the request and answers with its own. Neither header reaches an app. When the exchange ends, one request is counted
 * under Istio's labels.
 */
final class IstioStatsFilter implements HttpFilter {

    private static final String PEER_METADATA = WorkloadMetadata.PEER_METADATA_HEADER;
    private static final String PEER_METADATA_ID = WorkloadMetadata.PEER_METADATA_ID_HEADER;
    private static final int DECODED_PEERS_PER_LOOP = 256;
    /** Peers' headers decoded on this loop: one peer sends the same value on every request. */
    private static final FastThreadLocal<Map<String, WorkloadMetadata>> DECODED = new FastThreadLocal<>() {
        @Override
        protected Map<String, WorkloadMetadata> initialValue() {
            return new HashMap<>();
        }
    };
    /** The probe each loop fills per request. */
    private static final FastThreadLocal<RequestLabels> PROBE = new FastThreadLocal<>() {
        @Override
        protected RequestLabels initialValue() {
            return new RequestLabels();
        }
    };

    private final IstioStatsConfig config;
    private final IstioMetrics metrics;
    private final String ownHeader;
    private WorkloadMetadata peer = WorkloadMetadata.UNKNOWN;

    IstioStatsFilter(IstioStatsConfig config, IstioMetrics metrics, String ownHeader) {
        this.config = config;
        this.metrics = metrics;
        this.ownHeader = ownHeader;
    }

    @Override
    public FilterStatus onRequestHeaders(StreamFilterCallbacks exchange) {
        HttpHeaders headers = exchange.request().headers();
        String sent = headers.get(PEER_METADATA);
        headers.remove(PEER_METADATA);
        headers.remove(PEER_METADATA_ID);
        if (config.sourceReporter()) {
            headers.set(PEER_METADATA, ownHeader);
        } else if (sent != null) {
            peer = decode(sent);
        }
        return FilterStatus.CONTINUE;
    }

    @Override
    public void onResponseHeaders(StreamFilterCallbacks exchange, HttpResponse response) {
        HttpHeaders headers = response.headers();
        if (config.sourceReporter()) {
            String sent = headers.get(PEER_METADATA);
            if (sent != null) {
                peer = decode(sent);
            }
            headers.remove(PEER_METADATA);
            headers.remove(PEER_METADATA_ID);
        } else {
            headers.set(PEER_METADATA, ownHeader);
        }
    }

    @Override
    public void onLog(StreamFilterCallbacks exchange, AccessLogContext finished) {
        boolean source = config.sourceReporter();
        RequestLabels labels = PROBE.get().parties(source, peer, source
                ? DestinationService.ofCluster(finished.upstreamCluster())
                : config.inboundService(finished.requestHeader(":authority")), metrics.local().identity(),
                source ? null : exchange.peerPrincipal());
        boolean grpc = finished.isGrpc();
        labels.protocol = grpc ? RequestLabels.Protocol.GRPC : RequestLabels.Protocol.HTTP;
        labels.responseCode = finished.responseCode();
        labels.responseFlags = finished.responseFlags();
        labels.grpcStatus = grpc ? grpcStatus(finished) : "";
        labels.extraTags = config.addedTags();
        labels.extraValues = tagValues(finished);
        metrics.record(exchange.eventLoop(), labels.seal(), finished.durationNanos() / 1_000_000.0,
                finished.bytesReceived(), finished.bytesSent());
        if (grpc) {
            metrics.recordGrpcMessages(exchange.eventLoop(), labels, finished.grpcRequestMessages(),
                    finished.grpcResponseMessages());
        }
    }

    /** The values of the tags Telemetry adds, computed for this request (none: no allocation). */
    private String[] tagValues(AccessLogContext finished) {
        if (config.addedTags().length == 0) {
            return config.addedTags();
        }
        String[] values = new String[config.tagExpressions().length];
        for (int i = 0; i < values.length; i++) {
            values[i] = config.tagExpressions()[i].label(finished);
        }
        return values;
    }

    private static String grpcStatus(AccessLogContext finished) {
        String status = finished.responseTrailer("grpc-status");
        if (status == null) {
            status = finished.responseHeader("grpc-status");
        }
        return status == null ? "" : status;
    }

    private static WorkloadMetadata decode(String header) {
        Map<String, WorkloadMetadata> decoded = DECODED.get();
        WorkloadMetadata known = decoded.get(header);
        if (known != null) {
            return known;
        }
        if (decoded.size() >= DECODED_PEERS_PER_LOOP) {
            decoded.clear();
        }
        WorkloadMetadata peer = WorkloadMetadata.fromHeader(header);
        decoded.put(header, peer);
        return peer;
    }
}
