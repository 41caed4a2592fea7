package dev.weft.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.controlplane.ads.ProxyTokens;
import dev.weft.controlplane.ads.XdsType;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local mode's proxy tokens on a real weftd with real gRPC ADS clients: a stream whose node lacks the token
 * {@code weft up} issued for it is refused with UNAUTHENTICATED and never joins; the right token joins and syncs.
 */
class ProxyTokensTest {

    private static final String HTTPBIN = "sidecar~127.0.0.1~httpbin-v1.default~default.svc.cluster.local";
    private static final String SLEEP = "sidecar~127.0.0.1~sleep.default~default.svc.cluster.local";
    private static final String TOKEN = "a".repeat(64);

    @TempDir
    Path dir;
    private Path tokens;
    private Weftd weftd;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        tokens = dir.resolve("proxy-tokens.json");
        weftd = Weftd.start(WeftdOptions.defaults().withProxyTokens(tokens).withPorts(0, 0));
    }

    @AfterEach
    void stop() throws Exception {
        weftd.close();
    }

    /** Istio's node shape, claiming app=httpbin, version=v1, with the given token if any. */
    private static Node httpbin(String id, Optional<String> token) {
        Struct labels = Struct.newBuilder()
                .putFields("app", Value.newBuilder().setStringValue("httpbin").build())
                .putFields("version", Value.newBuilder().setStringValue("v1").build()).build();
        Struct.Builder metadata = Struct.newBuilder()
                .putFields("LABELS", Value.newBuilder().setStructValue(labels).build());
        token.ifPresent(t -> metadata.putFields(ProxyTokens.METADATA_KEY, Value.newBuilder().setStringValue(t).build()));
        return Node.newBuilder().setId(id).setMetadata(metadata).build();
    }

    private Status refusalOf(Node node) throws Exception {
        try (RecordingProxy proxy = new RecordingProxy(weftd.xdsPort(), node)) {
            proxy.subscribe(XdsType.CLUSTER);
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.error().isPresent());
            assertThat(proxy.received).isEmpty();
            return Status.fromThrowable(proxy.error().get());
        }
    }

    private JsonNode syncz() throws Exception {
        return new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + weftd.httpPort() + "/debug/syncz")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void aNodeWithoutItsIssuedTokenIsRefused() throws Exception {
        Files.writeString(tokens, "{\"" + HTTPBIN + "\": \"" + TOKEN + "\"}");

        Status wrong = refusalOf(httpbin(HTTPBIN, Optional.of("b".repeat(64))));
        Status missing = refusalOf(httpbin(HTTPBIN, Optional.empty()));
        Status stranger = refusalOf(httpbin(SLEEP, Optional.of(TOKEN)));

        assertThat(wrong.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(wrong.getDescription()).isEqualTo("node \"" + HTTPBIN + "\" sent a WEFT_PROXY_TOKEN that is not"
                + " the one issued to it");
        assertThat(missing.getDescription()).isEqualTo("node \"" + HTTPBIN + "\" sent no WEFT_PROXY_TOKEN in its"
                + " metadata");
        assertThat(stranger.getDescription()).isEqualTo("node \"" + SLEEP + "\" was not started by this mesh: weft"
                + " up issued no proxy token for it");
        assertThat(syncz()).as("no refused stream is listed").isEmpty();
    }

    @Test
    void aNodeWithTheTokenIssuedAfterWeftdStartedJoinsAndSyncs() throws Exception {
        Node node = httpbin(HTTPBIN, Optional.of(TOKEN));
        assertThat(refusalOf(node).getCode()).as("before weft up issued it").isEqualTo(Status.Code.UNAUTHENTICATED);
        Files.writeString(tokens, "{\"" + HTTPBIN + "\": \"" + TOKEN + "\"}");

        try (RecordingProxy proxy = new RecordingProxy(weftd.xdsPort(), node)) {
            proxy.subscribe(XdsType.CLUSTER);
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.responsesOf(XdsType.CLUSTER) > 0);

            assertThat(proxy.error()).isEmpty();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(syncz().findValuesAsText("proxyID"))
                    .containsExactly(HTTPBIN));
        }
    }
}
