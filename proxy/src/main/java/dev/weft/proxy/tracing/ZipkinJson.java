package dev.weft.proxy.tracing;

import dev.weft.proxy.config.JsonStrings;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Zipkin's v2 JSON span list ({@code POST /api/v2/spans}), as Envoy's {@code HTTP_JSON} collector endpoint takes it. */
final class ZipkinJson {

    private ZipkinJson() {
    }

    static byte[] encode(List<FinishedSpan> spans) {
        StringBuilder out = new StringBuilder(512 * spans.size());
        out.append('[');
        for (int i = 0; i < spans.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            span(out, spans.get(i));
        }
        return out.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void span(StringBuilder out, FinishedSpan s) {
        out.append("{\"traceId\":\"").append(s.traceId()).append('"');
        if (s.parentId() != 0) {
            out.append(",\"parentId\":\"").append(Hex.of(s.parentId())).append('"');
        }
        out.append(",\"id\":\"").append(Hex.of(s.id())).append('"');
        out.append(",\"kind\":\"").append(s.kind().name()).append('"');
        out.append(",\"name\":");
        JsonStrings.quote(out, s.name());
        out.append(",\"timestamp\":").append(s.timestampMicros());
        // Zipkin leaves out a zero duration; a request always took some time.
        out.append(",\"duration\":").append(Math.max(1, s.durationMicros()));
        out.append(",\"localEndpoint\":{\"serviceName\":");
        JsonStrings.quote(out, s.serviceName());
        if (s.localIp() != null) {
            out.append(s.localIp().indexOf(':') >= 0 ? ",\"ipv6\":" : ",\"ipv4\":");
            JsonStrings.quote(out, s.localIp());
        }
        out.append('}');
        if (s.shared()) {
            out.append(",\"shared\":true");
        }
        out.append(",\"tags\":{");
        boolean first = true;
        for (Map.Entry<String, String> tag : s.tags().entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            JsonStrings.quote(out, tag.getKey());
            out.append(':');
            JsonStrings.quote(out, tag.getValue());
        }
        out.append("}}");
    }
}
