package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.cli.ProxyConfigCommandTest.Sidecar;
import dev.weft.controlplane.Weftd;
import dev.weft.controlplane.WeftdOptions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * proxy-status, proxy-config and analyze against a cluster ({@code --kubeconfig}), as istioctl's: a real weftd and a
 * real sidecar stand behind pods of the mock API server, which forwards their proxy subresources to them as the API
 * server forwards to a pod; what the commands print is what they print for the local mesh.
 */
class ClusterCommandsTest {

  private static final String WEFTD_POD = "istiod-6d8f9c-x2k4p";
  private static final String SIDECAR_POD = "reviews-v1-5b9c8d-qz7lm";
  private static final ResourceDefinitionContext VIRTUAL_SERVICES = new ResourceDefinitionContext.Builder()
      .withGroup("networking.istio.io").withVersion("v1").withPlural("virtualservices").withKind("VirtualService")
      .withNamespaced(true).build();

  @TempDir
  Path dir;

  private static void pod(KubernetesClient client, String namespace, String name, Map<String, String> labels) {
    client.pods().resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace)
        .withLabels(labels).endMetadata().withNewStatus().withPhase("Running").endStatus().build()).create();
  }

  @Test
  void proxyStatusAndProxyConfigReachWeftdAndTheSidecarThroughTheApiServer() throws Exception {
    Path config = Files.createDirectory(dir.resolve("config"));
    Files.writeString(config.resolve("ratings.yaml"), ProxyConfigCommandTest.CONFIG);
    try (Weftd weftd = Weftd.start(WeftdOptions.defaults().withPorts(0, 0).withConfigDir(config));
        Sidecar sidecar = Sidecar.of(weftd, 3);
        DiscoveringApiServer api = new DiscoveringApiServer(List.of());
        KubernetesClient client = api.client()) {
      pod(client, "istio-system", WEFTD_POD, Map.of("app", "istiod"));
      pod(client, "default", SIDECAR_POD, Map.of("app", "reviews"));
      api.forward("istio-system", WEFTD_POD, 15014, URI.create("http://127.0.0.1:" + weftd.httpPort()));
      api.forward("default", SIDECAR_POD, 15000, URI.create(sidecar.admin()));
      String kubeconfig = api.kubeconfig(dir).toString();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(CliRun.of("proxy-config", "routes", "--admin", sidecar.admin()).out()).contains("ratings"));

      CliRun status = CliRun.of("proxy-status", "--kubeconfig", kubeconfig);
      assertThat(status.exitCode()).as(status.err()).isZero();
      assertThat(status.out()).containsPattern("sidecar~127\\.0\\.10\\.\\d+~reviews-v1\\.default~default\\.svc\\.cluster"
          + "\\.local +SYNCED +SYNCED +SYNCED +SYNCED +" + WEFTD_POD + "\n");

      for (String section : List.of("clusters", "listeners", "routes", "endpoints", "secrets", "authz")) {
        CliRun local = CliRun.of("proxy-config", section, "--admin", sidecar.admin());
        CliRun onCluster = CliRun.of("proxy-config", section, SIDECAR_POD, "--kubeconfig", kubeconfig);
        assertThat(onCluster.exitCode()).as(onCluster.err()).isZero();
        assertThat(onCluster.out()).as(section).isEqualTo(local.out());
      }
      CliRun named = CliRun.of("proxy-config", "routes", SIDECAR_POD + ".default", "--kubeconfig", kubeconfig);
      assertThat(named.out()).as("POD.NAMESPACE").contains("ratings.default");
      CliRun json = CliRun.of("proxy-config", "clusters", SIDECAR_POD, "-n", "default", "--kubeconfig", kubeconfig,
          "-o", "json");
      assertThat(new ObjectMapper().readTree(json.out()).findValuesAsText("name"))
          .contains("outbound|9080|v1|ratings.default.svc.cluster.local");
    }
  }

  @Test
  void withoutWeftdOrAPodOrAClusterEachCommandSaysWhichIsMissing() throws Exception {
    String kubeconfig;
    try (DiscoveringApiServer api = new DiscoveringApiServer(List.of())) {
      kubeconfig = api.kubeconfig(dir).toString();
      CliRun noWeftd = CliRun.of("proxy-status", "--kubeconfig", kubeconfig);
      assertThat(noWeftd.exitCode()).isEqualTo(1);
      assertThat(noWeftd.err()).isEqualTo("weft: no running weftd (istiod) pod with label app=istiod in namespace"
          + " istio-system: install it with weft install, or name its namespace with -i\n");
      assertThat(CliRun.of("proxy-status", "--kubeconfig", kubeconfig, "-i", "mesh").err())
          .contains("in namespace mesh");
      assertThat(CliRun.of("proxy-status", "--kubeconfig", kubeconfig, "--context", "mock").err())
          .as("the kubeconfig's context by name").isEqualTo(noWeftd.err());

      CliRun noPod = CliRun.of("proxy-config", "clusters", "nothing.prod", "--kubeconfig", kubeconfig);
      assertThat(noPod.exitCode()).isEqualTo(1);
      assertThat(noPod.err()).startsWith("weft: the proxy admin of pod prod/nothing did not answer: the API server"
          + " answered 404");
    }
    for (String[] command : List.of(new String[] {"proxy-status"}, new String[] {"proxy-config", "all", "a-pod"},
        new String[] {"analyze"})) {
      List<String> args = new java.util.ArrayList<>(List.of(command));
      args.addAll(List.of("--kubeconfig", kubeconfig));
      CliRun unreachable = CliRun.of(args.toArray(String[]::new));
      assertThat(unreachable.exitCode()).as(String.join(" ", command)).isEqualTo(1);
      assertThat(unreachable.err()).as(String.join(" ", command)).startsWith("weft: cannot r")
          .contains("127.0.0.1");
    }
    CliRun unreadable = CliRun.of("proxy-status", "--kubeconfig", dir.resolve("none").toString());
    assertThat(unreadable.err()).isEqualTo("weft: --kubeconfig " + dir.resolve("none") + " cannot be read\n");
  }

  @Test
  void analyzeReportsTheClustersInvalidVirtualServiceAndLaysFilesOverTheCluster() throws Exception {
    try (DiscoveringApiServer api = new DiscoveringApiServer(List.of()); KubernetesClient client = api.client()) {
      try (InputStream crds = Files.newInputStream(InstallDryRunTest.DEPLOY.resolve("crd-all.gen.yaml"))) {
        client.load(crds).items().forEach(crd -> client.resource(crd).create());
      }
      client.services().resource(new ServiceBuilder().withNewMetadata().withName("reviews").withNamespace("default")
          .endMetadata().withNewSpec().addToSelector("app", "reviews").addNewPort().withName("http").withPort(9080)
          .endPort().endSpec().build()).create();
      GenericKubernetesResource invalid = client.getKubernetesSerialization().unmarshal("""
          apiVersion: networking.istio.io/v1
          kind: VirtualService
          metadata: {name: reviews, namespace: default}
          spec:
            hosts: [reviews]
            http:
            - route:
              - {destination: {host: reviews}, weight: -20}
          """, GenericKubernetesResource.class);
      client.genericKubernetesResources(VIRTUAL_SERVICES).inNamespace("default").resource(invalid).create();
      String kubeconfig = api.kubeconfig(dir).toString();

      CliRun analyzed = CliRun.of("analyze", "--kubeconfig", kubeconfig);
      assertThat(analyzed.exitCode()).as(analyzed.err()).isEqualTo(1);
      assertThat(analyzed.out()).startsWith("Error [IST0106] (VirtualService default/reviews kube:VirtualService/"
          + "default/reviews").contains("weight");
      assertThat(client.genericKubernetesResources(VIRTUAL_SERVICES).inNamespace("default").withName("reviews").get()
          .getAdditionalProperties()).as("analyze wrote no status").doesNotContainKey("status");

      Path fixed = Files.writeString(dir.resolve("reviews.yaml"), """
          apiVersion: networking.istio.io/v1
          kind: VirtualService
          metadata: {name: reviews}
          spec:
            hosts: [reviews]
            http:
            - route:
              - destination: {host: reviews}
          """);
      CliRun withFile = CliRun.of("analyze", "--kubeconfig", kubeconfig, "-f", fixed.toString());
      assertThat(withFile.exitCode()).as(withFile.out() + withFile.err()).isZero();
      assertThat(withFile.out()).isEqualTo("\u2714 No validation issues found when analyzing namespace: default.\n");
    }
  }
}
