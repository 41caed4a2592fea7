package dev.weft.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.model.kube.ServiceSpec;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterIpsTest {

  private static final String CONFIG = """
      apiVersion: v1
      kind: Service
      metadata:
        name: reviews
        labels: {app: reviews}
      spec:
        ports:
        - {port: 9080, name: http}
        selector: {app: reviews}
      ---
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: reviews}
      spec:
        host: reviews
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: cart, namespace: shop}
      spec:
        clusterIP: 10.0.0.7
        ports:
        - {port: 9000, name: tcp}
      """;

  @Test
  void servicesTakeTheirAssignedAddressAndEverythingElseIsKept() {
    String assigned = ClusterIps.assign(CONFIG, Map.of("reviews.default.svc.cluster.local", "10.251.3.2",
        "cart.shop.svc.cluster.local", "10.251.3.1"));
    LoadResult loaded = new ConfigLoader().loadString(assigned, "assigned.yaml");
    assertThat(loaded.errors()).isEmpty();
    assertThat(loaded.accepted()).hasSize(3);
    Map<String, String> clusterIps = new java.util.TreeMap<>();
    loaded.accepted().stream().filter(r -> r.kind() == dev.weft.model.Kind.SERVICE)
        .forEach(r -> clusterIps.put(r.name(), r.as(ServiceSpec.class).spec().clusterIP()));
    assertThat(clusterIps).isEqualTo(Map.of("reviews", "10.251.3.2", "cart", "10.251.3.1"));
    assertThat(assigned).contains("host: \"reviews\"").contains("app: \"reviews\"");
  }

  @Test
  void aFileWithoutServicesIsLeftAsItIs() {
    String rule = "# a comment stays\nkind: DestinationRule\nmetadata: {name: r}\nspec: {host: r}\n";
    assertThat(ClusterIps.assign(rule, Map.of("r.default.svc.cluster.local", "10.251.1.1"))).isEqualTo(rule);
  }
}
