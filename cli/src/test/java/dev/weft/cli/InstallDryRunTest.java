package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cli.install.InstallManifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code weft install --dry-run}, golden-tested: with the defaults it prints deploy/kubernetes (the files in
 * kustomization.yaml's order), with {@code --set} Istio's CRDs verbatim and then {@code install/set.yaml}.
 * {@code -Dweft.golden.update=true} rewrites deploy/kubernetes's rendered files and the golden file; review the diff.
 */
class InstallDryRunTest {

  private static final boolean UPDATE = Boolean.getBoolean("weft.golden.update");
  static final Path DEPLOY = Path.of("../deploy/kubernetes");
  private static final Path GOLDEN = Path.of("src/test/resources/install");

  @Test
  void theDefaultsAreDeployKubernetes() throws IOException {
    CliRun run = CliRun.of("install", "--dry-run");
    assertThat(run.exitCode()).as(run.err()).isZero();
    if (UPDATE) {
      for (InstallManifests.Manifest manifest : InstallManifests.render(
          dev.weft.cli.install.InstallValues.defaults())) {
        if (!manifest.file().equals(InstallManifests.CRDS)) {
          Files.writeString(DEPLOY.resolve(manifest.file()), manifest.yaml());
        }
      }
    }
    String deployed = InstallManifests.FILES.stream().map(file -> read(DEPLOY.resolve(file)))
        .collect(Collectors.joining("---\n"));
    assertThat(run.out()).as("deploy/kubernetes is weft install's default render: edit the templates in"
        + " cli/src/main/resources/dev/weft/cli/install and regenerate with -Dweft.golden.update=true")
        .isEqualTo(deployed);
  }

  @Test
  void setChangesTheImagesNamespaceReplicasResourcesAndMeshConfig() throws IOException {
    CliRun run = CliRun.of("install", "--dry-run",
        "--set", "hub=registry.example.com/mesh", "--set", "tag=1.2.3",
        "--set", "values.global.istioNamespace=mesh-system",
        "--set", "values.pilot.replicaCount=3",
        "--set", "components.pilot.k8s.resources.requests.cpu=2",
        "--set", "values.pilot.resources.limits.memory=4Gi",
        "--set", "values.gateways.istio-ingressgateway.replicaCount=2",
        "--set", "meshConfig.accessLogFile=/dev/stdout",
        "--set", "meshConfig.defaultConfig.tracing.sampling=10.5",
        "--set", "meshConfig.outboundTrafficPolicy.mode=REGISTRY_ONLY",
        "--set", "meshConfig.enablePrometheusMerge=false");
    assertThat(run.exitCode()).as(run.err()).isZero();
    String crds = read(DEPLOY.resolve(InstallManifests.CRDS)) + "---\n";
    assertThat(run.out()).startsWith(crds);
    Path golden = GOLDEN.resolve("set.yaml");
    String rest = run.out().substring(crds.length());
    if (UPDATE) {
      Files.createDirectories(GOLDEN);
      Files.writeString(golden, rest);
    }
    assertThat(rest).as("install/set.yaml (regenerate with -Dweft.golden.update=true)").isEqualTo(read(golden));
  }

  /** Istio's proxyv2 runs istio-init's arguments as weft-proxy does, with iptables in its image. */
  @Test
  void theCapturesImageIsIstiosProxyInitValue() {
    CliRun defaults = CliRun.of("install", "--dry-run", "--set", "hub=registry.example.com/mesh");
    assertThat(defaults.out()).contains("- --proxy-init-image\n        - registry.example.com/mesh/weft-proxy:");
    CliRun istios = CliRun.of("install", "--dry-run", "--set",
        "values.global.proxy_init.image=docker.io/istio/proxyv2:1.28.0");
    assertThat(istios.exitCode()).as(istios.err()).isZero();
    assertThat(istios.out()).contains("- --proxy-init-image\n        - docker.io/istio/proxyv2:1.28.0\n");
    CliRun bad = CliRun.of("install", "--dry-run", "--set", "values.global.proxy_init.image=Not An Image");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).startsWith("weft: --set values.global.proxy_init.image=Not An Image: expected an image");
  }

  @Test
  void theGatewayCanBeLeftOut() {
    CliRun run = CliRun.of("install", "--dry-run", "--set", "components.ingressGateways[0].enabled=false");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("name: weftd").doesNotContain("istio-ingressgateway");
  }

  @Test
  void anUnknownKeyOrABadValueIsAUsageError() {
    CliRun unknown = CliRun.of("install", "--dry-run", "--set", "values.pilot.replicas=2");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).startsWith("weft: --set values.pilot.replicas: unknown key; weft install takes"
        + " meshConfig.* and hub, values.global.hub, tag");
    CliRun notANumber = CliRun.of("install", "--dry-run", "--set", "values.pilot.replicaCount=two");
    assertThat(notANumber.exitCode()).isEqualTo(2);
    assertThat(notANumber.err()).isEqualTo("weft: --set values.pilot.replicaCount=two: expected a number of"
        + " replicas\n");
    CliRun badNamespace = CliRun.of("uninstall", "--set", "values.global.istioNamespace=Istio_System");
    assertThat(badNamespace.exitCode()).isEqualTo(2);
    assertThat(badNamespace.err()).contains("expected a namespace name (DNS label)");
    CliRun noEquals = CliRun.of("install", "--dry-run", "--set", "hub");
    assertThat(noEquals.err()).isEqualTo("weft: --set hub: expected KEY=VALUE\n");
    CliRun meshOverValue = CliRun.of("install", "--dry-run", "--set", "meshConfig.trustDomain.x=1");
    assertThat(meshOverValue.exitCode()).isEqualTo(2);
    assertThat(meshOverValue.err()).contains("meshConfig.trustDomain is a value, not an object");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
