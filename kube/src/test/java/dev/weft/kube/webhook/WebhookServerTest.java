package dev.weft.kube.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.controlplane.ca.CertificateAuthority;
import dev.weft.controlplane.ca.ServingCertificate;
import dev.weft.kube.MockApiServer;
import dev.weft.kube.inject.InjectionSettings;
import dev.weft.kube.inject.SidecarInjector;
import dev.weft.model.ConfigError;
import dev.weft.model.load.ConfigLoader;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonPatch;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AdmissionReview round trips through weftd's webhook server over TLS, as the API server makes them: a real HTTPS
 * client that trusts only weftd's root, a pod whose namespace (in fabric8's mock API server) asks for injection,
 * the JSON patch applied by the test with zjsonpatch, and Istio resources validated by the model's loader.
 */
class WebhookServerTest {

    private static final String IMAGE = "registry.example/weft:test";

    @TempDir
    Path data;

    private final ObjectMapper json = new ObjectMapper();
    private final KubernetesSerialization serialization = new KubernetesSerialization();
    private MockApiServer api;
    private KubernetesClient client;
    private CertificateAuthority ca;
    private WebhookServer server;
    private HttpClient https;

    @BeforeEach
    void start() throws Exception {
        api = new MockApiServer();
        client = api.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop")
                .addToLabels("istio-injection", "enabled").endMetadata().build()).create();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("plain").endMetadata()
                .build()).create();
        ca = CertificateAuthority.loadOrCreate(Optional.empty(), data, "cluster.local", Clock.systemUTC());
        SidecarInjector injector = new SidecarInjector(InjectionSettings.defaults(IMAGE));
        server = WebhookServer.start(new InetSocketAddress("127.0.0.1", 0),
                new ServingCertificate(ca, List.of("localhost"), Clock.systemUTC()),
                Map.of("/inject", new InjectionWebhook(injector, this::namespaceLabels),
                        "/validate", new ValidationWebhook(new ConfigLoader())));
        https = Trusting.root(ca.rootPem());
    }

    private Map<String, String> namespaceLabels(String namespace) {
        return Optional.ofNullable(client.namespaces().withName(namespace).get())
                .map(n -> n.getMetadata().getLabels()).orElse(Map.of());
    }

    private static final String POD = """
            {"apiVersion": "v1", "kind": "Pod",
             "metadata": {"generateName": "reviews-v1-5f7d8c9b4-", "labels": {"app": "reviews", "version": "v1",
                 "pod-template-hash": "5f7d8c9b4"},
               "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "reviews-v1-5f7d8c9b4",
                 "uid": "1", "controller": true}]},
             "spec": {"containers": [{"name": "reviews", "image": "bookinfo/reviews:1",
                 "ports": [{"name": "http", "containerPort": 9080}],
                 "readinessProbe": {"httpGet": {"path": "/health", "port": "http"}, "periodSeconds": 5}}]}}
            """;

    @Test
    void aPodInANamespaceThatAsksForInjectionGetsTheSidecarAsAJsonPatch() throws Exception {
        JsonNode pod = json.readTree(POD);
        JsonNode response = review("/inject", "CREATE", "shop", pod);

        assertThat(response.path("allowed").asBoolean()).isTrue();
        assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
        JsonNode patch = json.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
        Pod patched = serialization.convertValue(JsonPatch.apply(patch, pod), Pod.class);

        assertThat(patched.getSpec().getInitContainers()).extracting(Container::getName)
                .containsExactly("istio-init", "istio-proxy");
        Container proxy = patched.getSpec().getInitContainers().get(1);
        assertThat(proxy.getRestartPolicy()).isEqualTo("Always");
        assertThat(proxy.getImage()).isEqualTo(IMAGE);
        assertThat(proxy.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("ISTIO_META_WORKLOAD_NAME");
            assertThat(e.getValue()).isEqualTo("reviews-v1");
        });
        assertThat(proxy.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("ISTIO_KUBE_APP_PROBERS");
            assertThat(json.readTree(e.getValue())).isEqualTo(json.readTree(
                    "{\"/app-health/reviews/readyz\": {\"httpGet\": {\"path\": \"/health\", \"port\": 9080}}}"));
        });
        Container app = patched.getSpec().getContainers().getFirst();
        assertThat(app.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/app-health/reviews/readyz");
        assertThat(app.getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(15020);
        assertThat(app.getReadinessProbe().getPeriodSeconds()).isEqualTo(5);
        assertThat(patched.getMetadata().getLabels()).containsEntry("security.istio.io/tlsMode", "istio")
                .containsEntry("service.istio.io/canonical-name", "reviews")
                .containsEntry("service.istio.io/canonical-revision", "v1");
        assertThat(patched.getMetadata().getAnnotations()).containsKey("sidecar.istio.io/status")
                .containsEntry("prometheus.io/port", "15020");
        assertThat(patched.getSpec().getVolumes()).extracting(v -> v.getName())
                .containsExactlyElementsOf(SidecarInjector.VOLUMES);
        assertThat(patched.getSpec().getVolumes().get(3).getProjected().getSources().getFirst()
                .getServiceAccountToken().getAudience()).isEqualTo("istio-ca");
    }

    @Test
    void aPodElsewhereOrOptedOutIsAllowedUnchanged() throws Exception {
        JsonNode elsewhere = review("/inject", "CREATE", "plain", json.readTree(POD));
        assertThat(elsewhere.path("allowed").asBoolean()).isTrue();
        assertThat(elsewhere.has("patch")).isFalse();

        ObjectNode optedOut = (ObjectNode) json.readTree(POD);
        ((ObjectNode) optedOut.path("metadata").path("labels")).put("sidecar.istio.io/inject", "false");
        JsonNode response = review("/inject", "CREATE", "shop", optedOut);
        assertThat(response.path("allowed").asBoolean()).isTrue();
        assertThat(response.has("patch")).isFalse();
    }

    @Test
    void aPodWithAnInvalidAnnotationIsRefusedWithTheReason() throws Exception {
        ObjectNode pod = (ObjectNode) json.readTree(POD);
        ((ObjectNode) pod.path("metadata")).putObject("annotations")
                .put("traffic.sidecar.istio.io/excludeOutboundPorts", "http");
        JsonNode response = review("/inject", "CREATE", "shop", pod);
        assertThat(response.path("allowed").asBoolean()).isFalse();
        assertThat(response.path("status").path("message").asText())
                .isEqualTo("injection failed: traffic.sidecar.istio.io/excludeOutboundPorts: http is not a port"
                        + " (excludeoutboundports)");
    }

    private static final String VIRTUAL_SERVICE = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: shop}
            spec:
              hosts: [reviews]
              http:
              - route:
                - destination: {host: reviews, subset: v1}
                  weight: %d
            """;

    @Test
    void anInvalidVirtualServiceIsRefusedWithTheModelsMessageAndAValidOneIsAllowed() throws Exception {
        String invalid = VIRTUAL_SERVICE.formatted(-5);
        JsonNode refused = review("/validate", "CREATE", "shop", json.valueToTree(serialization.unmarshal(invalid,
                Map.class)));
        List<ConfigError> errors = new ConfigLoader().loadString(invalid, "reviews.yaml").errors();
        assertThat(errors).isNotEmpty();
        assertThat(refused.path("allowed").asBoolean()).isFalse();
        assertThat(refused.path("status").path("message").asText()).isEqualTo("configuration is invalid: "
                + String.join("; ", errors.stream().filter(ConfigError::isError).map(ConfigError::detail).toList()))
                .contains("spec.http[0].route[0].weight");

        JsonNode allowed = review("/validate", "UPDATE", "shop", json.valueToTree(serialization.unmarshal(
                VIRTUAL_SERVICE.formatted(100), Map.class)));
        assertThat(allowed.path("allowed").asBoolean()).isTrue();
        assertThat(allowed.has("status")).isFalse();
    }

    @Test
    void whatIsNoAdmissionReviewGetsAStatusCode() throws Exception {
        assertThat(post("/validate", "not json").statusCode()).isEqualTo(400);
        assertThat(post("/validate", "{\"request\": {}}").statusCode()).isEqualTo(400);
        assertThat(post("/other", "{}").statusCode()).isEqualTo(404);
        HttpResponse<String> get = https.send(HttpRequest.newBuilder(uri("/inject")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
    }

    /** POSTs an AdmissionReview v1 as the API server does and returns its response, checking the uid came back. */
    private JsonNode review(String path, String operation, String namespace, JsonNode object) throws Exception {
        String uid = UUID.randomUUID().toString();
        ObjectNode review = json.createObjectNode().put("apiVersion", "admission.k8s.io/v1")
                .put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request").put("uid", uid).put("operation", operation)
                .put("namespace", namespace);
        request.set("object", object);
        HttpResponse<String> response = post(path, review.toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = json.readTree(response.body());
        assertThat(answer.path("kind").asText()).isEqualTo("AdmissionReview");
        assertThat(answer.path("response").path("uid").asText()).isEqualTo(uid);
        return answer.path("response");
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return https.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("https://localhost:" + server.port() + path);
    }

    @AfterEach
    void stop() {
        server.close();
        client.close();
        api.close();
    }
}
