package dev.weft.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.WeftVersion;
import dev.weft.controlplane.ads.ProxyTokens;
import dev.weft.model.mesh.MeshConfig;
import dev.weft.proxy.bootstrap.BootstrapLoader;
import dev.weft.proxy.bootstrap.BootstrapResult;
import dev.weft.proxy.server.ProxyOptions;
import dev.weft.proxy.server.ProxyServer;
import dev.weft.xds.mesh.LocalPorts;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.mesh.ProxyType;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bootstrap must satisfy both readers: the proxy's bootstrap loader and weftd's node parser. */
class ProxyBootstrapTest {

  private static final WorkloadSpec REVIEWS = new WorkloadSpec("reviews-v2", "default", "bookinfo-reviews",
      Map.of("app", "reviews", "version", "v2"), List.of(9080, 9443),
      new WorkloadSpec.JavaMain("dev.weft.examples.SampleApps", List.of("reviews")), Map.of(), Optional.empty(),
      false);
  private static final AddressPlan ADDRESSES = new AddressPlan(AddressPlan.Mode.ADDRESSES, 1);
  private static final ProxyBootstrap.XdsServer WEFTD = ProxyBootstrap.XdsServer.plaintext(15010);

  private static Bootstrap load(String yaml) {
    BootstrapResult result = new BootstrapLoader().parse(yaml);
    assertThat(result).isInstanceOf(BootstrapResult.Valid.class);
    return ((BootstrapResult.Valid) result).bootstrap();
  }

  @Test
  void aSidecarIsAnIstioNodeOnItsOwnAddressWithIstioPorts() {
    Bootstrap bootstrap = load(ProxyBootstrap.yaml(ProxyBootstrap.sidecar(REVIEWS, ADDRESSES.workload(3, REVIEWS.ports(), List.of())), WEFTD));
    ProxyNode node = ProxyNode.fromNode(bootstrap.getNode());
    assertThat(node.nodeId()).isEqualTo("sidecar~127.0.1.5~reviews-v2.default~default.svc.cluster.local");
    assertThat(node.type()).isEqualTo(ProxyType.SIDECAR);
    assertThat(node.ipAddresses()).containsExactly("127.0.1.5");
    assertThat(node.namespace()).isEqualTo("default");
    assertThat(node.workloadName()).isEqualTo("reviews-v2");
    assertThat(node.serviceAccount()).isEqualTo("bookinfo-reviews");
    assertThat(node.labels()).isEqualTo(Map.of("app", "reviews", "version", "v2"));
    assertThat(bootstrap.getNode().getMetadata().getFieldsOrThrow("ISTIO_VERSION").getStringValue())
        .as("pilot_xds counts proxies by it").isEqualTo(WeftVersion.get()).isNotBlank();
    assertThat(node.localPorts()).contains(new LocalPorts(15001, 15000, List.of(
        new LocalPorts.WorkloadPort(9080, 15006, 9080), new LocalPorts.WorkloadPort(9443, 15007, 9443))));
  }

  @Test
  void theIssuedTokenTravelsInTheNodeMetadataAndWeftdAdmitsItByThatToken() {
    ProxyBootstrap.Node sidecar = ProxyBootstrap.sidecar(REVIEWS, ADDRESSES.workload(3, REVIEWS.ports(), List.of()));
    Bootstrap bootstrap = load(ProxyBootstrap.yaml(sidecar.withToken("f00d"), WEFTD));

    assertThat(bootstrap.getNode().getMetadata().getFieldsOrThrow(ProxyTokens.METADATA_KEY).getStringValue())
        .isEqualTo("f00d");
    assertThat(load(ProxyBootstrap.yaml(sidecar, WEFTD)).getNode().getMetadata()
        .containsFields(ProxyTokens.METADATA_KEY)).isFalse();
  }

  /** What weftd's node parser reads as WEFT_LOCAL_PORTS.egress (xds README "Local runtime"). */
  @Test
  void egressListenersAreInTheLocalPortsMetadata() {
    LocalMesh.ServiceRef echo = new LocalMesh.ServiceRef("tcp-echo", "default", 9000, List.of(9000));
    Bootstrap bootstrap = load(ProxyBootstrap.yaml(ProxyBootstrap.sidecar(REVIEWS,
        ADDRESSES.workload(3, REVIEWS.ports(), List.of(echo))), WEFTD));
    var egress = bootstrap.getNode().getMetadata().getFieldsOrThrow("WEFT_LOCAL_PORTS").getStructValue()
        .getFieldsOrThrow("egress").getListValue().getValues(0).getStructValue().getFieldsMap();
    assertThat(egress.get("host").getStringValue()).isEqualTo("tcp-echo.default.svc.cluster.local");
    assertThat(egress.get("port").getNumberValue()).isEqualTo(9000);
    assertThat(egress.get("listen").getNumberValue()).isEqualTo(9000);
  }

  /** Under capture weftd must see no WEFT_LOCAL_PORTS, and ADS goes to weftd at the bridge address. */
  @Test
  void aCapturedSidecarIsAStandardIstioNodeReachingWeftdAcrossTheBridge() {
    Bootstrap bootstrap = load(ProxyBootstrap.yaml(ProxyBootstrap.sidecar(REVIEWS,
        CaptureNetwork.address("10.250.4.3", REVIEWS.ports())).withCapture(),
        ProxyBootstrap.XdsServer.tls("10.250.4.1", 40123, Path.of("/state/weftd/ca/root-cert.pem"))));
    ProxyNode node = ProxyNode.fromNode(bootstrap.getNode());
    assertThat(node.localPorts()).isEmpty();
    assertThat(node.ipAddresses()).containsExactly("10.250.4.3");
    assertThat(bootstrap.getAdmin().getAddress().getSocketAddress().getAddress()).isEqualTo("10.250.4.3");
    var xds = bootstrap.getStaticResources().getClusters(0).getLoadAssignment().getEndpoints(0).getLbEndpoints(0)
        .getEndpoint().getAddress().getSocketAddress();
    assertThat(xds.getAddress() + ":" + xds.getPortValue()).isEqualTo("10.250.4.1:40123");
  }

  /** As Istio's proxies reach istiod on 15012: TLS that trusts the mesh root's file and names istiod by SNI. */
  @Test
  void adsToWeftdsTlsPortTrustsTheMeshRootAndNamesIstiod() throws Exception {
    Bootstrap bootstrap = load(ProxyBootstrap.yaml(ProxyBootstrap.sidecar(REVIEWS, ADDRESSES.workload(3,
        REVIEWS.ports(), List.of())), ProxyBootstrap.XdsServer.tls("127.0.0.1", 15012, Path.of("/state/root.pem"))));
    var socket = bootstrap.getStaticResources().getClusters(0).getTransportSocket();
    assertThat(socket.getName()).isEqualTo("envoy.transport_sockets.tls");
    UpstreamTlsContext tls = socket.getTypedConfig().unpack(UpstreamTlsContext.class);
    assertThat(tls.getSni()).isEqualTo("istiod.istio-system.svc");
    assertThat(tls.getCommonTlsContext().getValidationContext().getTrustedCa().getFilename())
        .isEqualTo("/state/root.pem");
    assertThat(load(ProxyBootstrap.yaml(ProxyBootstrap.sidecar(REVIEWS, ADDRESSES.workload(3, REVIEWS.ports(),
        List.of())), WEFTD)).getStaticResources().getClusters(0).hasTransportSocket()).isFalse();
  }

  @Test
  void adminListensOnTheProxyAddressAndAdsGoesToWeftd() {
    Bootstrap bootstrap = load(ProxyBootstrap.yaml(ProxyBootstrap.sidecar(REVIEWS, ADDRESSES.workload(3, REVIEWS.ports(), List.of())),
        ProxyBootstrap.XdsServer.plaintext(40123)));
    var admin = bootstrap.getAdmin().getAddress().getSocketAddress();
    assertThat(admin.getAddress()).isEqualTo("127.0.1.5");
    assertThat(admin.getPortValue()).isEqualTo(15000);
    var ads = bootstrap.getDynamicResources().getAdsConfig();
    assertThat(ads.getGrpcServices(0).getEnvoyGrpc().getClusterName()).isEqualTo(ProxyBootstrap.XDS_CLUSTER);
    assertThat(bootstrap.getDynamicResources().getCdsConfig().hasAds()).isTrue();
    assertThat(bootstrap.getDynamicResources().getLdsConfig().hasAds()).isTrue();
    var xds = bootstrap.getStaticResources().getClusters(0);
    assertThat(xds.getName()).isEqualTo(ProxyBootstrap.XDS_CLUSTER);
    var endpoint = xds.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress()
        .getSocketAddress();
    assertThat(endpoint.getAddress()).isEqualTo("127.0.0.1");
    assertThat(endpoint.getPortValue()).isEqualTo(40123);
    assertThat(xds.getTypedExtensionProtocolOptionsMap()).containsKey(
        "envoy.extensions.upstreams.http.v3.HttpProtocolOptions");
  }

  /**
   * A real proxy runs the bootstrap and answers Istio's health and Prometheus ports on its own address. Nothing
   * serves xDS on port 1, so its health says what the admin's /ready says before a first config: INITIALIZING.
   */
  @Test
  void theProxyServesHealthAndStatsOnIstiosPorts() throws Exception {
    String ip = new AddressPlan(AddressPlan.Mode.ADDRESSES, 230).workload(0, List.of(), List.of()).ip();
    Bootstrap bootstrap = load(ProxyBootstrap.yaml(ProxyBootstrap.sidecar(REVIEWS,
        new AddressPlan(AddressPlan.Mode.ADDRESSES, 230).workload(0, REVIEWS.ports(), List.of())),
        ProxyBootstrap.XdsServer.plaintext(1)));
    try (ProxyServer proxy = ProxyServer.start(bootstrap, ProxyOptions.defaults().withWorkerThreads(1))) {
      assertThat(proxy.configErrors()).isEmpty();
      HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(
          URI.create("http://" + ip + ":15021/healthz/ready")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.body()).isEqualTo("INITIALIZING\n");
      HttpResponse<String> stats = http.send(HttpRequest.newBuilder(
          URI.create("http://" + ip + ":15090/stats/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(stats.statusCode()).isEqualTo(200);
      assertThat(stats.body()).contains("# TYPE");
    }
  }

  /**
   * Istio's stats_config loads in a real proxy: its Prometheus port shows only the Envoy stats Istio shows, under
   * Istio's tag names, plus those the mesh config's proxyStatsMatcher adds.
   */
  @Test
  void theProxyShowsIstiosEnvoyStatsAndThoseTheProxyStatsMatcherAdds() throws Exception {
    String ip = new AddressPlan(AddressPlan.Mode.ADDRESSES, 231).workload(0, List.of(), List.of()).ip();
    ProxyBootstrap.Node sidecar = ProxyBootstrap.sidecar(REVIEWS,
        new AddressPlan(AddressPlan.Mode.ADDRESSES, 231).workload(0, REVIEWS.ports(), List.of()));
    HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
    HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://" + ip + ":15090/stats/prometheus")).build();
    for (boolean more : new boolean[] {false, true}) {
      Optional<MeshConfig.ProxyStatsMatcher> matcher = more
          ? Optional.of(new MeshConfig.ProxyStatsMatcher(List.of("cluster.agent"), List.of(), List.of(".*cx_destroy.*")))
          : Optional.empty();
      Bootstrap bootstrap = load(ProxyBootstrap.yaml(sidecar, ProxyBootstrap.XdsServer.plaintext(1), matcher));
      try (ProxyServer proxy = ProxyServer.start(bootstrap, ProxyOptions.defaults().withWorkerThreads(1))) {
        assertThat(proxy.configErrors()).isEmpty();
        http.send(scrape, HttpResponse.BodyHandlers.ofString());
        String text = http.send(scrape, HttpResponse.BodyHandlers.ofString()).body();
        assertThat(proxy.stats().value("cluster.agent.upstream_rq_total")).isPositive();
        if (more) {
          assertThat(text).contains("envoy_cluster_upstream_rq_total{cluster_name=\"agent\"} ");
        } else {
          assertThat(text).contains("envoy_cluster_upstream_rq_total{cluster_name=\"xds-grpc\"} ")
              .doesNotContain("cluster_name=\"agent\"", "envoy_http_");
        }
      }
    }
  }

  @Test
  void withPortBlocksTheNodeIsOnLoopbackWithItsBlocksPorts() {
    Bootstrap bootstrap = load(ProxyBootstrap.yaml(ProxyBootstrap.sidecar(REVIEWS,
        new AddressPlan(AddressPlan.Mode.PORT_BLOCKS, 1).workload(2, REVIEWS.ports(), List.of())), WEFTD));
    ProxyNode node = ProxyNode.fromNode(bootstrap.getNode());
    assertThat(node.nodeId()).isEqualTo("sidecar~127.0.0.1~reviews-v2.default~default.svc.cluster.local");
    assertThat(node.localPorts()).contains(new LocalPorts(20201, 20200, List.of(
        new LocalPorts.WorkloadPort(9080, 20206, 20250), new LocalPorts.WorkloadPort(9443, 20207, 20251))));
    assertThat(bootstrap.getAdmin().getAddress().getSocketAddress().getPortValue()).isEqualTo(20200);
    assertThat(bootstrap.getStaticResources().getListenersList()).extracting(
        l -> l.getName() + "@" + l.getAddress().getSocketAddress().getAddress() + ":"
            + l.getAddress().getSocketAddress().getPortValue())
        .containsExactly("health@127.0.0.1:20221", "prometheus_stats@127.0.0.1:20290");
  }

  @Test
  void theIngressGatewayIsARouterWithIstiosLabels() {
    ProxyNode node = ProxyNode.fromNode(load(ProxyBootstrap.yaml(ProxyBootstrap.ingressGateway(ADDRESSES.gateway()), WEFTD)).getNode());
    assertThat(node.type()).isEqualTo(ProxyType.ROUTER);
    assertThat(node.nodeId())
        .isEqualTo("router~127.0.1.1~istio-ingressgateway.istio-system~istio-system.svc.cluster.local");
    assertThat(node.labels()).containsEntry("istio", "ingressgateway");
    assertThat(node.namespace()).isEqualTo("istio-system");
  }
}
