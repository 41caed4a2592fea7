package dev.weft.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.weft.controlplane.Weftd;
import dev.weft.controlplane.WeftdOptions;
import dev.weft.controlplane.config.ValidationObserver;
import dev.weft.kube.authn.ServiceAccountTokens;
import dev.weft.kube.inject.InjectionSettings;
import dev.weft.kube.inject.SidecarInjector;
import dev.weft.model.load.ConfigLoader;
import dev.weft.proxy.agent.AgentPaths;
import dev.weft.proxy.agent.AgentPorts;
import dev.weft.proxy.agent.SidecarAgent;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An injected pod starts: the injector's {@code istio-proxy} container, its environment resolved as the kubelet
 * resolves it, runs weft-proxy's pod agent, which gets its workload certificate from weftd's CA with the pod's
 * projected token (reviewed by the API server), joins ADS as that pod, turns ready, and answers the app container's
 * rewritten readiness probe by probing the app. Real weftd on the mock API server, real proxy, real app.
 */
class InjectedPodTest {

    private static final String SLEEP = "spiffe://cluster.local/ns/default/sa/sleep";

    @TempDir
    Path dir;
    private MockApiServer api;
    private KubernetesClient client;
    private ServiceAccountTokens tokens;
    private Weftd weftd;
    private HttpServer app;
    private final AtomicInteger appReadyStatus = new AtomicInteger(200);
    private SidecarAgent agent;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        api = new MockApiServer();
        client = api.client();
        tokens = new ServiceAccountTokens().on(api);
        new KubeCluster(client).withIstioCrds();
        KubeSource kube = KubeSource.start(client, new ConfigLoader(), ValidationObserver.NONE, Duration.ofSeconds(30));
        weftd = Weftd.start(WeftdOptions.defaults().withPorts(0, 0).withDataDir(dir.resolve("weftd")).withSource(kube));
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/ready", exchange -> {
            exchange.sendResponseHeaders(appReadyStatus.get(), -1);
            exchange.close();
        });
        app.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        app.stop(0);
        weftd.close();
        client.close();
        api.close();
    }

    @Test
    void anInjectedPodGetsItsIdentityAndConfigAndServesItsAppsProbes() throws Exception {
        int appPort = app.getAddress().getPort();
        Pod pod = new PodBuilder().withNewMetadata().withName("sleep-1").withNamespace("default")
                .addToLabels("app", "sleep").endMetadata()
                .withNewSpec().withServiceAccountName("sleep").withNodeName("node-a")
                .addNewContainer().withName("sleep").withImage("curlimages/curl")
                .addNewPort().withName("http").withContainerPort(appPort).endPort()
                .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withPort(new IntOrString(appPort))
                .endHttpGet().endReadinessProbe().endContainer().endSpec().build();
        Pod injected = new SidecarInjector(InjectionSettings.defaults("weft:test")).inject(pod, "sleep");
        injected.setStatus(new PodStatusBuilder().withPodIP("127.0.0.1").withHostIP("127.0.0.1").build());
        injected = client.pods().resource(injected).create();
        String readinessPath = injected.getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("sleep")).findFirst().orElseThrow()
                .getReadinessProbe().getHttpGet().getPath();

        agent = SidecarAgent.start("sidecar", kubeletEnvironment(injected), podFiles(), freePorts());

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(get(agent.statusPort(), "/healthz/ready").statusCode()).isEqualTo(200));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(workloadCertificate()
                .getSubjectAlternativeNames()).as("the certificate weftd's CA issued").containsExactly(List.of(6, SLEEP)));
        assertThat(tokens.reviews()).as("the pod's token was reviewed by the API server").isPositive();
        assertThat(readinessPath).isEqualTo("/app-health/sleep/readyz");
        assertThat(get(agent.statusPort(), readinessPath).statusCode()).isEqualTo(200);
        appReadyStatus.set(503);
        assertThat(get(agent.statusPort(), readinessPath).statusCode()).as("the app is not ready, so neither is its"
                + " rewritten probe").isNotEqualTo(200);
    }

    /** The SDS secret {@code default} in the proxy's config dump: the workload certificate it keeps. */
    private X509Certificate workloadCertificate() throws Exception {
        JsonNode dump = new ObjectMapper().readTree(get(adminPort, "/config_dump").body());
        JsonNode secret = null;
        for (JsonNode config : dump.path("configs")) {
            for (JsonNode active : config.path("dynamic_active_secrets")) {
                if (active.path("name").asText().equals("default")) {
                    secret = active.path("secret");
                }
            }
        }
        assertThat(secret).as("the secret default in the config dump").isNotNull();
        String chain = secret.at("/tls_certificate/certificate_chain/inline_string").asText();
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(chain.getBytes(StandardCharsets.US_ASCII)));
    }

    private int adminPort;

    /** Ports free now: the admin's and the status port's must be known; the listeners bind any. */
    private AgentPorts freePorts() throws IOException {
        try (ServerSocket admin = new ServerSocket(0); ServerSocket status = new ServerSocket(0)) {
            adminPort = admin.getLocalPort();
            return new AgentPorts(adminPort, 0, 0, status.getLocalPort());
        }
    }

    /**
     * The proxy container's environment as the kubelet gives it: values, and field references resolved from the pod;
     * istiod's address is this test's weftd on loopback (the agent still checks its certificate as istiod's).
     */
    private Map<String, String> kubeletEnvironment(Pod pod) throws IOException {
        Container proxy = Stream.concat(pod.getSpec().getInitContainers().stream(),
                        pod.getSpec().getContainers().stream())
                .filter(c -> c.getName().equals(SidecarInjector.PROXY_CONTAINER)).findFirst().orElseThrow();
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar variable : proxy.getEnv()) {
            env.put(variable.getName(), variable.getValueFrom() == null
                    ? (variable.getValue() == null ? "" : variable.getValue())
                    : field(pod, variable.getValueFrom().getFieldRef().getFieldPath()));
        }
        String istiod = "127.0.0.1:" + weftd.xdsPort();
        ObjectMapper json = new ObjectMapper();
        @SuppressWarnings("unchecked")
        Map<String, Object> proxyConfig = json.readValue(env.get("PROXY_CONFIG"), Map.class);
        proxyConfig.put("discoveryAddress", istiod);
        env.put("PROXY_CONFIG", json.writeValueAsString(proxyConfig));
        env.put("CA_ADDR", istiod);
        return env;
    }

    private static String field(Pod pod, String path) {
        return switch (path) {
            case "metadata.name" -> pod.getMetadata().getName();
            case "metadata.namespace" -> pod.getMetadata().getNamespace();
            case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName();
            case "spec.nodeName" -> pod.getSpec().getNodeName();
            case "status.podIP" -> pod.getStatus().getPodIP();
            case "status.hostIP" -> pod.getStatus().getHostIP();
            default -> throw new AssertionError("the injector asks for the field " + path);
        };
    }

    /** The pod's volumes as the kubelet mounts them: downward API labels, the projected token, the mesh root. */
    private AgentPaths podFiles() throws IOException {
        Path podInfo = Files.createDirectories(dir.resolve("pod"));
        Files.writeString(podInfo.resolve("labels"), "app=\"sleep\"\n");
        Files.writeString(podInfo.resolve("annotations"), "");
        Path token = Files.writeString(dir.resolve("istio-token"),
                tokens.serviceAccount("default", "sleep", "istio-ca", Instant.now().plus(Duration.ofHours(1))),
                StandardCharsets.US_ASCII);
        return new AgentPaths(dir.resolve("proxy"), podInfo, token, dir.resolve("weftd").resolve(Weftd.ROOT_CERT_FILE));
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
