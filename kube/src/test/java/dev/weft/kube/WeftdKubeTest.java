package dev.weft.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.controlplane.Weftd;
import dev.weft.controlplane.WeftdOptions;
import dev.weft.controlplane.config.ValidationObserver;
import dev.weft.model.load.ConfigLoader;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** weftd started with a cluster as a source serves it above its directory, as its debug API shows. */
class WeftdKubeTest {

    private static final String DIRECTORY_RULES = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews, namespace: default}
            spec: {host: reviews}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: local-only, namespace: default}
            spec: {host: local-only}
            """;

    @Test
    void weftdServesTheClustersConfigAboveItsDirectoryAndClosesTheSource(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), DIRECTORY_RULES);
        try (MockApiServer api = new MockApiServer(); KubernetesClient client = api.client()) {
            KubeCluster cluster = new KubeCluster(client).withIstioCrds().withNode().withBookinfo()
                    .apply(KubeCluster.DESTINATION_RULES);
            KubeSource kube = KubeSource.start(client, new ConfigLoader(), ValidationObserver.NONE,
                    Duration.ofSeconds(30));
            try (Weftd weftd = Weftd.start(WeftdOptions.defaults().withPorts(0, 0).withConfigDir(dir)
                    .withSource(kube))) {
                JsonNode configz = configz(weftd);
                assertThat(sources(configz, "DestinationRule", "reviews")).singleElement()
                        .satisfies(source -> assertThat(source).startsWith("kube:DestinationRule/default/reviews:"));
                assertThat(sources(configz, "DestinationRule", "local-only")).singleElement()
                        .satisfies(source -> assertThat(source).startsWith(dir.toString()));
                assertThat(sources(configz, "Service", "productpage")).singleElement()
                        .satisfies(source -> assertThat(source).startsWith("kube:Service/default/productpage:"));

                cluster.istio(KubeBookinfoTest.REVIEWS_80_20.replace("weight: 20", "weight: -20"));
                await().atMost(Duration.ofSeconds(2)).until(() -> configz(weftd).get("errors").toString()
                        .contains("kube:VirtualService/default/reviews"));
            }
            assertThat(kube.watching()).as("weftd closed the source").isFalse();
        }
    }

    private static JsonNode configz(Weftd weftd) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + weftd.httpPort() + "/debug/configz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }

    private static List<String> sources(JsonNode configz, String kind, String name) {
        List<String> sources = new ArrayList<>();
        configz.get("resources").forEach(r -> {
            if (r.get("kind").asText().equals(kind) && r.get("name").asText().equals(name)) {
                sources.add(r.get("source").asText());
            }
        });
        return sources;
    }
}
