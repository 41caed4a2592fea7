package dev.weft.proxy.tracing;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OTLP trace export request, as Envoy's OpenTelemetry tracer sends it: the spans of one service under a
 * resource with {@code service.name}, the tags as string attributes, ERROR status where the span has the
 * {@code error} tag.
 */
final class OtlpSpans {

    private static final HexFormat HEX = HexFormat.of();

    private OtlpSpans() {
    }

    static ExportTraceServiceRequest request(List<FinishedSpan> batch) {
        Map<String, ScopeSpans.Builder> byService = new LinkedHashMap<>();
        for (FinishedSpan s : batch) {
            byService.computeIfAbsent(s.serviceName(), name -> ScopeSpans.newBuilder()
                    .setScope(InstrumentationScope.newBuilder().setName("weft-proxy"))).addSpans(span(s));
        }
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        byService.forEach((service, spans) -> request.addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attribute("service.name", service)))
                .addScopeSpans(spans)));
        return request.build();
    }

    private static Span span(FinishedSpan s) {
        String traceId = s.traceId().length() == 32 ? s.traceId() : "0000000000000000" + s.traceId();
        long startNanos = s.timestampMicros() * 1000;
        Span.Builder span = Span.newBuilder()
                .setTraceId(ByteString.copyFrom(HEX.parseHex(traceId)))
                .setSpanId(ByteString.copyFrom(HEX.parseHex(Hex.of(s.id()))))
                .setName(s.name())
                .setKind(s.kind() == SpanKind.SERVER ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_CLIENT)
                .setStartTimeUnixNano(startNanos)
                .setEndTimeUnixNano(startNanos + Math.max(1, s.durationMicros()) * 1000);
        if (s.parentId() != 0) {
            span.setParentSpanId(ByteString.copyFrom(HEX.parseHex(Hex.of(s.parentId()))));
        }
        s.tags().forEach((key, value) -> span.addAttributes(attribute(key, value)));
        if ("true".equals(s.tags().get("error"))) {
            span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
        }
        return span.build();
    }

    private static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }
}
