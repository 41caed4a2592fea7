package dev.weft.proxy.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.api.WeftVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the agent derives from an injected pod's environment and files, as Istio's agent derives it. */
class PodEnvironmentTest {

    /** The environment SidecarInjector gives the istio-proxy container of a reviews-v2 pod, resolved by the kubelet. */
    static Map<String, String> injectedEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("CA_ADDR", "istiod.istio-system.svc:15012");
        env.put("POD_NAME", "reviews-v2-5d8f7-abcde");
        env.put("POD_NAMESPACE", "bookinfo");
        env.put("INSTANCE_IP", "10.244.1.7");
        env.put("SERVICE_ACCOUNT", "bookinfo-reviews");
        env.put("HOST_IP", "172.18.0.2");
        env.put("PROXY_CONFIG", "{\"holdApplicationUntilProxyStarts\":true,"
                + "\"proxyStatsMatcher\":{\"inclusionPrefixes\":[\"cluster.outbound\"]},"
                + "\"proxyMetadata\":{\"DNS_AGENT\":\"\"}}");
        env.put("ISTIO_META_POD_PORTS", "[{\"containerPort\":9080,\"name\":\"http\",\"protocol\":\"TCP\"}]");
        env.put("ISTIO_META_APP_CONTAINERS", "reviews");
        env.put("ISTIO_META_CLUSTER_ID", "Kubernetes");
        env.put("ISTIO_META_NODE_NAME", "kind-worker");
        env.put("ISTIO_META_INTERCEPTION_MODE", "REDIRECT");
        env.put("ISTIO_META_WORKLOAD_NAME", "reviews-v2");
        env.put("ISTIO_META_MESH_ID", "cluster.local");
        env.put("TRUST_DOMAIN", "cluster.local");
        env.put("DNS_AGENT", "");
        env.put("ISTIO_KUBE_APP_PROBERS", "{\"/app-health/reviews/readyz\":{\"httpGet\":{\"path\":\"/health\","
                + "\"port\":9080},\"timeoutSeconds\":3}}");
        env.put("ISTIO_PROMETHEUS_ANNOTATIONS", "{\"scrape\":\"true\",\"port\":\"9090\"}");
        env.put("PATH", "/usr/bin");
        return env;
    }

    @TempDir
    Path podInfo;

    private PodEnvironment read(Map<String, String> env) throws Exception {
        Files.writeString(podInfo.resolve("labels"), """
                app="reviews"
                pod-template-hash="5d8f7"
                service.istio.io/canonical-name="reviews"
                version="v2"
                """);
        Files.writeString(podInfo.resolve("annotations"), """
                kubectl.kubernetes.io/default-container="reviews"
                note="say \\"hi\\"\\n"
                """);
        return PodEnvironment.read("sidecar", env, podInfo);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theNodeIsIstiosSidecarNodeWithEveryIstioMetaVariable() throws Exception {
        PodEnvironment pod = read(injectedEnv());

        assertThat(pod.nodeId())
                .isEqualTo("sidecar~10.244.1.7~reviews-v2-5d8f7-abcde.bookinfo~bookinfo.svc.cluster.local");
        assertThat(pod.node()).containsEntry("cluster", "reviews.bookinfo");
        Map<String, Object> metadata = pod.metadata();
        assertThat(metadata).containsEntry("NAMESPACE", "bookinfo")
                .containsEntry("SERVICE_ACCOUNT", "bookinfo-reviews")
                .containsEntry("INSTANCE_IPS", "10.244.1.7")
                .containsEntry("WORKLOAD_NAME", "reviews-v2")
                .containsEntry("MESH_ID", "cluster.local")
                .containsEntry("CLUSTER_ID", "Kubernetes")
                .containsEntry("NODE_NAME", "kind-worker")
                .containsEntry("APP_CONTAINERS", "reviews")
                .containsEntry("INTERCEPTION_MODE", "REDIRECT")
                .containsEntry("POD_PORTS", "[{\"containerPort\":9080,\"name\":\"http\",\"protocol\":\"TCP\"}]")
                .containsEntry("ISTIO_VERSION", WeftVersion.get())
                .containsEntry("LABELS", Map.of("app", "reviews", "pod-template-hash", "5d8f7",
                        "service.istio.io/canonical-name", "reviews", "version", "v2"))
                .doesNotContainKeys("PATH", "HOST_IP", "DNS_AGENT");
        assertThat(WeftVersion.get()).isNotBlank().isNotEqualTo("unknown").doesNotContain("${");
        assertThat((Map<Object, Object>) metadata.get("ANNOTATIONS")).containsEntry("note", "say \"hi\"\n");
        assertThat((Map<Object, Object>) metadata.get("PROXY_CONFIG"))
                .containsEntry("holdApplicationUntilProxyStarts", true);
    }

    @Test
    void theIdentityAndControlPlaneComeFromTheEnvironmentAndProxyConfig() throws Exception {
        PodEnvironment pod = read(injectedEnv());
        assertThat(pod.spiffeId()).isEqualTo("spiffe://cluster.local/ns/bookinfo/sa/bookinfo-reviews");
        assertThat(pod.discoveryAddress()).isEqualTo("istiod.istio-system.svc:15012");
        assertThat(pod.caAddress()).isEqualTo("istiod.istio-system.svc:15012");
        assertThat(pod.certificateTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(pod.ports()).isEqualTo(AgentPorts.ISTIO);
        assertThat(pod.statsInclusions().prefixes()).containsExactly("cluster.outbound");

        Map<String, String> env = injectedEnv();
        env.put("TRUST_DOMAIN", "example.org");
        env.put("SECRET_TTL", "12h");
        env.remove("CA_ADDR");
        env.put("PROXY_CONFIG", "{\"discoveryAddress\":\"istiod-canary.istio-system.svc:15012\","
                + "\"statusPort\":15099,\"proxyAdminPort\":15100,\"configPath\":\"/tmp/bootstrap\"}");
        PodEnvironment moved = read(env);
        assertThat(moved.spiffeId()).isEqualTo("spiffe://example.org/ns/bookinfo/sa/bookinfo-reviews");
        assertThat(moved.caAddress()).as("istiod is the CA").isEqualTo("istiod-canary.istio-system.svc:15012");
        assertThat(moved.certificateTtl()).isEqualTo(Duration.ofHours(12));
        assertThat(moved.ports()).isEqualTo(new AgentPorts(15100, 15021, 15090, 15099));
        assertThat(moved.paths(AgentPaths.POD).bootstrapFile()).isEqualTo(Path.of("/tmp/bootstrap/envoy-rev.json"));

        env.put("STATUS_PORT", "0");
        assertThat(read(env).ports().status()).as("STATUS_PORT turns the status port off").isZero();
    }

    @Test
    void aGatewayIsARouterNode() throws Exception {
        assertThat(PodEnvironment.read("router", injectedEnv(), podInfo).nodeId())
                .startsWith("router~10.244.1.7~reviews-v2-5d8f7-abcde.bookinfo~");
    }

    @Test
    void aMissingOrMalformedVariableIsNamed() {
        Map<String, String> env = injectedEnv();
        env.remove("INSTANCE_IP");
        assertThatThrownBy(() -> PodEnvironment.read("sidecar", env, podInfo)).hasMessageContaining("INSTANCE_IP");
        Map<String, String> badConfig = injectedEnv();
        badConfig.put("PROXY_CONFIG", "[1]");
        assertThatThrownBy(() -> PodEnvironment.read("sidecar", badConfig, podInfo))
                .hasMessageContaining("PROXY_CONFIG");
        assertThatThrownBy(() -> PodEnvironment.read("waypoint", injectedEnv(), podInfo))
                .hasMessageContaining("sidecar or router");
    }

    @Test
    void theBootstrapIsIstiosShapeForTheProxysLoader() throws Exception {
        PodEnvironment pod = read(injectedEnv());
        String json = EnvoyBootstrap.json(EnvoyBootstrap.of(pod.node(),
                new EnvoyBootstrap.Ports("127.0.0.1", 15000, "0.0.0.0", 15021, 15090),
                new EnvoyBootstrap.ControlPlane("istiod.istio-system.svc", 15012, java.util.Optional.of(
                        Path.of("/var/run/secrets/istio/root-cert.pem"))), pod.statsInclusions()));
        var result = new dev.weft.proxy.bootstrap.BootstrapLoader().parse(json);
        assertThat(result).isInstanceOf(dev.weft.proxy.bootstrap.BootstrapResult.Valid.class);
        var bootstrap = ((dev.weft.proxy.bootstrap.BootstrapResult.Valid) result).bootstrap();
        assertThat(bootstrap.getNode().getId()).isEqualTo(pod.nodeId());
        var xds = bootstrap.getStaticResources().getClusters(0);
        assertThat(xds.getName()).isEqualTo("xds-grpc");
        assertThat(xds.getType().name()).as("a name, resolved by the channel").isEqualTo("STRICT_DNS");
        assertThat(bootstrap.getAdmin().getAddress().getSocketAddress().getAddress()).isEqualTo("127.0.0.1");
        assertThat(bootstrap.getStaticResources().getListenersList()).extracting(l -> l.getAddress()
                .getSocketAddress().getPortValue()).containsExactly(15021, 15090);
        assertThat(bootstrap.getStatsConfig().getStatsMatcher().getInclusionList().getPatternsList())
                .extracting(m -> m.getPrefix()).contains("cluster.outbound", "cluster.xds-grpc");
    }
}
