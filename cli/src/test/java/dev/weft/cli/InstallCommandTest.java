package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cli.install.ClusterInstaller;
import dev.weft.cli.install.InstallManifests;
import dev.weft.cli.install.InstallValues;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rendered install applied to fabric8's mock API server (CRUD mode) by kubectl (Debian's kubernetes-client, which
 * this test needs: it fails without it) and by {@code weft install --kubeconfig}, and removed by
 * {@code weft uninstall}; every object checked through the fabric8 client. Kustomize (kubectl's) builds the same
 * objects from deploy/kubernetes.
 */
class InstallCommandTest {

  private static final List<HasMetadata> OBJECTS = ClusterInstaller.objects(InstallValues.defaults());

  @TempDir Path dir;

  @Test
  void kubectlAppliesTheRenderedManifests() throws Exception {
    Path manifests = dir.resolve("weft.yaml");
    Files.writeString(manifests, InstallManifests.yaml(InstallValues.defaults()));
    try (DiscoveringApiServer api = new DiscoveringApiServer(OBJECTS); KubernetesClient client = api.client()) {
      Path kubeconfig = api.kubeconfig(dir);
      String applied = kubectl(kubeconfig, "apply", "--validate=false", "-f", manifests.toString());
      assertThat(applied.lines()).hasSize(OBJECTS.size());
      assertEveryObjectIsIn(client);
      Deployment weftd = OBJECTS.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
          .filter(d -> d.getMetadata().getName().equals("weftd")).findFirst().orElseThrow();
      assertThat(client.resource(weftd).get().getSpec()).isEqualTo(weftd.getSpec());
    }
  }

  @Test
  void kustomizeBuildsTheSameObjectsFromDeployKubernetes() throws Exception {
    String built = kubectl(dir.resolve("no-kubeconfig"), "kustomize", InstallDryRunTest.DEPLOY.toString());
    List<HasMetadata> kustomized = new KubernetesSerialization().unmarshal(built);
    assertThat(kustomized).containsExactlyInAnyOrderElementsOf(OBJECTS);
  }

  @Test
  void weftInstallAppliesThemAndUninstallRemovesThem() throws Exception {
    try (DiscoveringApiServer api = new DiscoveringApiServer(OBJECTS); KubernetesClient client = api.client()) {
      String kubeconfig = api.kubeconfig(dir).toString();
      CliRun first = CliRun.of("install", "--kubeconfig", kubeconfig);
      assertThat(first.exitCode()).as(first.err()).isZero();
      assertThat(first.out()).contains("deployment.apps/weftd created", "service/istiod created",
          "customresourcedefinition.apiextensions.k8s.io/virtualservices.networking.istio.io created");
      assertEveryObjectIsIn(client);

      CliRun again = CliRun.of("install", "--kubeconfig", kubeconfig, "--set", "values.pilot.replicaCount=3");
      assertThat(again.exitCode()).as(again.err()).isZero();
      assertThat(again.out()).contains("deployment.apps/weftd configured").doesNotContain("created");
      assertThat(client.apps().deployments().inNamespace("istio-system").withName("weftd").get().getSpec()
          .getReplicas()).isEqualTo(3);

      CliRun uninstall = CliRun.of("uninstall", "--kubeconfig", kubeconfig);
      assertThat(uninstall.exitCode()).as(uninstall.err()).isZero();
      assertThat(uninstall.out()).contains("deployment.apps/weftd deleted");
      for (HasMetadata object : OBJECTS) {
        boolean kept = object instanceof CustomResourceDefinition || object instanceof Namespace;
        assertThat(client.resource(object).get()).as(name(object)).matches(o -> kept == (o != null));
      }

      CliRun purge = CliRun.of("uninstall", "--purge", "--kubeconfig", kubeconfig);
      assertThat(purge.exitCode()).as(purge.err()).isZero();
      assertThat(purge.out()).contains("namespace/istio-system deleted", "deployment.apps/weftd not found");
      for (HasMetadata object : OBJECTS) {
        assertThat(client.resource(object).get()).as(name(object)).isNull();
      }
    }
  }

  @Test
  void anUnreachableClusterIsOneLine() throws IOException {
    Path kubeconfig;
    try (DiscoveringApiServer api = new DiscoveringApiServer(OBJECTS)) {
      kubeconfig = api.kubeconfig(dir);
    }
    CliRun run = CliRun.of("install", "--kubeconfig", kubeconfig.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("weft: install failed: ");
  }

  private static void assertEveryObjectIsIn(KubernetesClient client) {
    for (HasMetadata object : OBJECTS) {
      HasMetadata stored = client.resource(object).get();
      assertThat(stored).as(name(object)).isNotNull();
      assertThat(stored.getMetadata().getLabels()).as(name(object)).isEqualTo(object.getMetadata().getLabels());
    }
    assertThat(client.apps().deployments().inNamespace("istio-system").list().getItems())
        .extracting(Deployment::getMetadata).extracting("name").containsExactlyInAnyOrder("istio-ingressgateway", "weftd");
  }

  private static String name(HasMetadata object) {
    return object.getKind() + " " + object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
  }

  private static String kubectl(Path kubeconfig, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    return out;
  }
}
