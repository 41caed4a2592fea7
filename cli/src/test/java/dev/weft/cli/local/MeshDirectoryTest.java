package dev.weft.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeshDirectoryTest {

  static final Path BOOKINFO = Path.of("..", "examples", "bookinfo", "mesh");
  static final Path EXTAUTHZ = Path.of("..", "examples", "extauthz", "mesh");

  @Test
  void theBookinfoMeshHasSixWorkloadsFourServicesAndAnIngressOn8080() {
    MeshDirectory.Result result = MeshDirectory.read(BOOKINFO);
    assertThat(result.errors()).isEmpty();
    LocalMesh mesh = result.mesh().orElseThrow();
    assertThat(mesh.workloads()).extracting(WorkloadSpec::name).containsExactly(
        "details-v1", "ratings-v1", "reviews-v1", "reviews-v2", "reviews-v3", "productpage-v1");
    assertThat(mesh.workloads()).extracting(WorkloadSpec::serviceAccount).containsExactly(
        "bookinfo-details", "bookinfo-ratings", "bookinfo-reviews", "bookinfo-reviews", "bookinfo-reviews",
        "bookinfo-productpage");
    assertThat(mesh.services()).extracting(LocalMesh.ServiceRef::urlVariable)
        .containsExactly("DETAILS_URL", "RATINGS_URL", "REVIEWS_URL", "PRODUCTPAGE_URL");
    assertThat(mesh.ingressPort()).contains(8080);
    assertThat(mesh.ingressScheme()).isEqualTo("http");
  }

  /** Istio's TCP traffic shifting task: the ingress on 31400 speaks TCP, so its URL is no http:// one. */
  @Test
  void aTcpIngressServerIsReachedAsTcp() {
    LocalMesh mesh = MeshDirectory.read(Path.of("..", "examples", "tcp-echo", "mesh")).mesh().orElseThrow();
    assertThat(mesh.ingressPort()).contains(31400);
    assertThat(mesh.ingressScheme()).isEqualTo("tcp");
  }

  @Test
  void onlyTopLevelFilesAreConfigSubdirectoriesAreForLater() {
    LocalMesh mesh = MeshDirectory.read(BOOKINFO).mesh().orElseThrow();
    assertThat(mesh.configFiles()).extracting(p -> p.getFileName().toString())
        .containsExactly("bookinfo-gateway.yaml", "bookinfo.yaml", "destination-rule-all.yaml");
  }

  /** A mesh with an ingress Service selecting {@code selector} that maps port 80 to 8081, and a Gateway on 80. */
  private static LocalMesh ingressMesh(Path dir, String selector) throws IOException {
    Files.writeString(dir.resolve("weft-workloads.yaml"), "workloads:\n- {name: a, command: [x], ports: [80]}\n");
    Files.writeString(dir.resolve("gateway.yaml"), """
        apiVersion: v1
        kind: Service
        metadata: {name: istio-ingressgateway, namespace: istio-system}
        spec:
          selector: SELECTOR
          ports:
          - {name: http2, port: 80, targetPort: 8081}
        ---
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: ["*"]
        """.replace("SELECTOR", selector));
    return MeshDirectory.read(dir).mesh().orElseThrow();
  }

  @Test
  void aGatewayServerPortIsBoundAtTheIngressServiceTargetPort(@TempDir Path dir) throws IOException {
    assertThat(ingressMesh(dir, "{istio: ingressgateway}").ingressPort()).contains(8081);
  }

  /** Istio's own ingress Service selects both labels of the gateway deployment. */
  @Test
  void istiosIngressServiceSelectingAppAndIstioLabelsMapsTheServerPort(@TempDir Path dir) throws IOException {
    assertThat(ingressMesh(dir, "{app: istio-ingressgateway, istio: ingressgateway}").ingressPort()).contains(8081);
  }

  @Test
  void aMeshWithoutAnIngressGatewayHasNoIngressPort(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("weft-workloads.yaml"), "workloads:\n- {name: a, command: [x], ports: [80]}\n");
    assertThat(MeshDirectory.read(dir).mesh().orElseThrow().ingressPort()).isEqualTo(Optional.empty());
  }

  @Test
  void invalidIstioConfigAndAMissingWorkloadFileAreErrors(@TempDir Path dir) throws IOException {
    assertThat(MeshDirectory.read(dir).errors()).singleElement().asString()
        .contains("has no weft-workloads.yaml");
    Files.writeString(dir.resolve("weft-workloads.yaml"), "workloads:\n- {name: a, command: [x], ports: [80]}\n");
    Files.writeString(dir.resolve("vs.yaml"), """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: broken}
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination: {host: reviews}
              weight: -5
        """);
    MeshDirectory.Result result = MeshDirectory.read(dir);
    assertThat(result.mesh()).isEmpty();
    assertThat(result.errors()).isNotEmpty().allSatisfy(e -> assertThat(e).contains("vs.yaml"));
    assertThat(MeshDirectory.read(dir.resolve("nowhere")).errors()).containsExactly(dir.resolve("nowhere")
        + " is not a directory");
  }

  @Test
  void servicePortsIstioDoesNotServeAsHttpAreTcpDependencies(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("weft-workloads.yaml"), "workloads:\n- {name: a, command: [x], ports: [80]}\n");
    Files.writeString(dir.resolve("services.yaml"), """
        apiVersion: v1
        kind: Service
        metadata: {name: tcp-echo}
        spec:
          ports:
          - {name: tcp, port: 9000}
          - {name: http, port: 9001}
          - {name: tcp-other, port: 9002}
          - {name: dns, port: 53, protocol: UDP}
          - {name: web, port: 8080, appProtocol: http}
          - {name: mongo, port: 7000}
        """);
    MeshDirectory.Result read = MeshDirectory.read(dir);
    assertThat(read.errors()).isEmpty();
    LocalMesh.ServiceRef echo = read.mesh().orElseThrow().services().getFirst();
    assertThat(echo.tcpPorts()).containsExactly(9000, 9002, 7000);
    assertThat(echo.host()).isEqualTo("tcp-echo.default.svc.cluster.local");
    assertThat(echo.addressVariable(9000)).isEqualTo("TCP_ECHO_9000_ADDR");
  }

  @Test
  void aServiceUrlUsesTheShortNameInItsOwnNamespace() {
    LocalMesh.ServiceRef ratings = new LocalMesh.ServiceRef("ratings", "default", 9080, List.of());
    assertThat(ratings.url("default")).isEqualTo("http://ratings:9080");
    assertThat(ratings.url("other")).isEqualTo("http://ratings.default:9080");
    assertThat(new LocalMesh.ServiceRef("tcp-echo", "default", 9000, List.of()).urlVariable()).isEqualTo("TCP_ECHO_URL");
  }

  @Test
  void aMeshConfigGoesToWeftdAndIsNoResource() {
    LocalMesh mesh = MeshDirectory.read(EXTAUTHZ).mesh().orElseThrow();
    assertThat(mesh.meshConfig()).contains(EXTAUTHZ.resolve("meshconfig.yaml"));
    assertThat(mesh.configFiles()).extracting(p -> p.getFileName().toString())
        .containsExactly("curl.yaml", "ext-authz.yaml", "httpbin.yaml");
    assertThat(mesh.trustDomain()).isEqualTo("cluster.local");
    assertThat(MeshDirectory.read(BOOKINFO).mesh().orElseThrow().meshConfig())
        .contains(BOOKINFO.resolve("meshconfig.yaml"));
  }

  @Test
  void theMeshConfigsTrustDomainNamesTheWorkloadsAndItsErrorsStopTheMesh(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("weft-workloads.yaml"), "workloads:\n- {name: a, command: [x], ports: [80]}\n");
    Path meshConfig = Files.writeString(dir.resolve("meshconfig.yaml"), "trustDomain: example.org\n");
    assertThat(MeshDirectory.read(dir).mesh().orElseThrow().trustDomain()).isEqualTo("example.org");

    Files.writeString(meshConfig, "trustDomain: example.org\nextensionProviders:\n- name: authz\n"
        + "  envoyExtAuthzGrpc: {service: ext-authz, port: 0}\n");
    assertThat(MeshDirectory.read(dir).errors()).containsExactly(meshConfig + ":4: MeshConfig: "
        + "extensionProviders[0].envoyExtAuthzGrpc.port: Invalid value: 0: port must be in the range [1, 65535]");
  }
}
