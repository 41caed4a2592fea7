package dev.weft.proxy.tracing;

import dev.weft.proxy.transport.GrpcChannels;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * OTLP over gRPC ({@code opentelemetry.proto.collector.trace.v1.TraceService/Export}), plain text, with the
 * configured authority. One channel, replaced when the collector's endpoint changes.
 */
final class OtlpGrpcExporter implements SpanExporter {

    private final String authority;
    private final Duration timeout;
    private InetSocketAddress target;
    private ManagedChannel channel;

    /** @param authority the {@code :authority} to send; empty for the endpoint's address */
    OtlpGrpcExporter(String authority, Duration timeout) {
        this.authority = authority;
        this.timeout = timeout;
    }

    @Override
    public boolean export(List<FinishedSpan> batch, InetSocketAddress collector) throws IOException {
        try {
            TraceServiceGrpc.newBlockingStub(channelTo(collector))
                    .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .export(OtlpSpans.request(batch));
            return true;
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
                throw new IOException("collector " + collector + ": " + e.getStatus(), e);
            }
            return false;
        }
    }

    private ManagedChannel channelTo(InetSocketAddress collector) {
        if (!collector.equals(target)) {
            close();
            var builder = GrpcChannels.forAddress(collector.getAddress().getHostAddress(),
                    collector.getPort(), InsecureChannelCredentials.create());
            if (!authority.isEmpty()) {
                builder.overrideAuthority(authority);
            }
            channel = builder.build();
            target = collector;
        }
        return channel;
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.shutdownNow();
            channel = null;
            target = null;
        }
    }
}
