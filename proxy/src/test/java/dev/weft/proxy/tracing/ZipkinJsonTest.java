package dev.weft.proxy.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ZipkinJsonTest {

    @Test
    void encodesZipkinV2SpansWithEscapedStrings() throws Exception {
        Map<String, String> tags = new TreeMap<>(Map.of("http.url", "http://a/\"q\"\\\n\u0001", "error", "true"));
        FinishedSpan root = new FinishedSpan("463ac35c9f6413ad48485a3953bb6124", 0xa2fb4a1d1a96d312L, 0,
                SpanKind.CLIENT, "egress reviews:9080", 1_700_000_000_000_001L, 0, "productpage.default", "::1", false,
                tags);
        FinishedSpan child = new FinishedSpan("463ac35c9f6413ad48485a3953bb6124", 2, 0xa2fb4a1d1a96d312L,
                SpanKind.SERVER, "ingress", 1_700_000_000_000_002L, 42, "reviews.default", "127.0.0.1", true, Map.of());

        String json = new String(ZipkinJson.encode(List.of(root, child)), StandardCharsets.UTF_8);
        JsonNode spans = new ObjectMapper().readTree(json);

        assertThat(spans).hasSize(2);
        JsonNode first = spans.get(0);
        assertThat(first.path("traceId").asText()).isEqualTo("463ac35c9f6413ad48485a3953bb6124");
        assertThat(first.path("id").asText()).isEqualTo("a2fb4a1d1a96d312");
        assertThat(first.has("parentId")).isFalse();
        assertThat(first.path("kind").asText()).isEqualTo("CLIENT");
        assertThat(first.path("duration").asLong()).isEqualTo(1);
        assertThat(first.path("localEndpoint").path("ipv6").asText()).isEqualTo("::1");
        assertThat(first.path("tags").path("http.url").asText()).isEqualTo("http://a/\"q\"\\\n\u0001");
        assertThat(first.has("shared")).isFalse();
        JsonNode second = spans.get(1);
        assertThat(second.path("parentId").asText()).isEqualTo("a2fb4a1d1a96d312");
        assertThat(second.path("id").asText()).isEqualTo("0000000000000002");
        assertThat(second.path("timestamp").asLong()).isEqualTo(1_700_000_000_000_002L);
        assertThat(second.path("localEndpoint").path("ipv4").asText()).isEqualTo("127.0.0.1");
        assertThat(second.path("shared").asBoolean()).isTrue();
    }
}
