package dev.weft.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CaptureNetworkTest {

  private static WorkloadSpec workload(String name, String namespace) {
    return new WorkloadSpec(name, namespace, "default", Map.of("app", name), List.of(9080),
        new WorkloadSpec.Executable(List.of("true")), Map.of(), Optional.empty(), false);
  }

  private static final LocalMesh.ServiceRef REVIEWS = new LocalMesh.ServiceRef("reviews", "default", 9080, List.of());
  private static final LocalMesh.ServiceRef DETAILS = new LocalMesh.ServiceRef("details", "default", 9080, List.of());
  private static final LocalMesh.ServiceRef SHOP = new LocalMesh.ServiceRef("cart", "shop", 9000, List.of(9000));
  private static final LocalMesh MESH = new LocalMesh(Path.of("mesh"), List.of(),
      List.of(workload("productpage-v1", "default"), workload("cart-v1", "shop")), List.of(REVIEWS, DETAILS, SHOP),
      Optional.of(8080));

  @Test
  void eachWorkloadGetsANamespaceAnAddressAndAVethOnTheBlocksBridge() {
    CaptureNetwork network = CaptureNetwork.of(9, MESH);
    assertThat(network.bridge()).isEqualTo("weft9br");
    assertThat(network.hostIp()).isEqualTo("10.250.9.1");
    assertThat(network.subnet()).isEqualTo("10.250.9.0/24");
    assertThat(network.hostChain()).isEqualTo("WEFT9");
    assertThat(network.members()).containsExactly(
        new CaptureNetwork.Member("productpage-v1", "default", "weft9-productpage-v1-default", "weft9v0", "10.250.9.2"),
        new CaptureNetwork.Member("cart-v1", "shop", "weft9-cart-v1-shop", "weft9v1", "10.250.9.3"));
    assertThat(network.members()).allSatisfy(m -> assertThat(m.hostVeth().length()).isLessThanOrEqualTo(15));
  }

  @Test
  void servicesGetVirtualIpsInHostNameOrder() {
    assertThat(CaptureNetwork.of(9, MESH).serviceAddresses()).isEqualTo(Map.of(
        "cart.shop.svc.cluster.local", "10.251.9.1",
        "details.default.svc.cluster.local", "10.251.9.2",
        "reviews.default.svc.cluster.local", "10.251.9.3"));
  }

  /** As a pod's search domains would: short names only within the workload's own namespace. */
  @Test
  void aNamespacesHostsFileResolvesServicesLikeAPodsSearchDomains() {
    CaptureNetwork network = CaptureNetwork.of(9, MESH);
    String hosts = network.hosts(network.members().getFirst(), MESH.services());
    assertThat(hosts.lines()).containsExactly(
        "127.0.0.1\tlocalhost",
        "10.250.9.2\tproductpage-v1",
        "10.251.9.3\treviews.default.svc.cluster.local reviews.default.svc reviews.default reviews",
        "10.251.9.2\tdetails.default.svc.cluster.local details.default.svc details.default details",
        "10.251.9.1\tcart.shop.svc.cluster.local cart.shop.svc cart.shop");
    assertThat(network.hosts(network.members().get(1), MESH.services())).contains("cart.shop cart\n")
        .contains("reviews.default\n");
  }

  @Test
  void theSidecarKeepsIstiosPortsAndTakesInboundTrafficOn15006() {
    assertThat(CaptureNetwork.address("10.250.9.2", List.of(9080, 9443))).isEqualTo(new WorkloadAddress(
        "10.250.9.2", 15000, 15001, 15021, 15090, List.of(new WorkloadAddress.PortMapping(9080, 15006, 9080),
            new WorkloadAddress.PortMapping(9443, 15006, 9443))));
  }

  @Test
  void theBlockMustFitAnAddressOctet() {
    assertThatThrownBy(() -> CaptureNetwork.of(255, MESH)).hasMessageContaining("not in 1-254");
  }
}
