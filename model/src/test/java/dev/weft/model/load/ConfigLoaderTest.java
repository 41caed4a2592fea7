package dev.weft.model.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.model.Kind;
import dev.weft.model.Resource;
import dev.weft.model.kube.ServiceSpec;
import dev.weft.model.networking.HTTPRoute;
import dev.weft.model.networking.VirtualService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private final ConfigLoader loader = new ConfigLoader();

  private static final String REVIEWS = """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata:
        name: reviews
      spec:
        hosts:
        - reviews
        http:
        - match:
          - headers:
              end-user:
                exact: jason
          route:
          - destination:
              host: reviews
              subset: v2
          timeout: 1.5s
        - route:
          - destination:
              host: ratings.prod.svc.cluster.local
              subset: v1
            weight: 30
      """;

  @Test
  void bindsVirtualServiceWithFqdnHostsAndDefaults() {
    LoadResult result = loader.loadString(REVIEWS, "reviews.yaml");

    assertThat(result.errors()).isEmpty();
    Resource<VirtualService> vs = result.snapshot().virtualServices().getFirst();
    assertThat(vs.namespace()).isEqualTo("default");
    assertThat(vs.spec().hosts()).containsExactly("reviews.default.svc.cluster.local");
    HTTPRoute first = vs.spec().http().getFirst();
    assertThat(first.match().getFirst().headers().get("end-user").exact()).isEqualTo("jason");
    assertThat(first.match().getFirst().headers().get("end-user").prefix()).isNull();
    assertThat(first.route().getFirst().destination().host()).isEqualTo("reviews.default.svc.cluster.local");
    assertThat(first.timeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(vs.spec().http().get(1).route().getFirst().weight()).isEqualTo(30);
    assertThat(vs.spec().gateways()).isEmpty();
  }

  @Test
  void originKnowsLinesAndTextAsWritten() {
    Resource<?> vs = loader.loadString(REVIEWS, "reviews.yaml").resources().getFirst();

    assertThat(vs.origin().file()).isEqualTo("reviews.yaml");
    assertThat(vs.origin().line()).isEqualTo(1);
    assertThat(vs.origin().lineOf("spec.http[0].route[0].destination.host")).isEqualTo(15);
    assertThat(vs.origin().textOf("spec.http[0].route[0].destination.host")).contains("reviews");
    assertThat(vs.origin().lineOf("spec.http[1].route[0].weight")).isEqualTo(22);
    assertThat(vs.origin().lineOf("spec.http[1].timeout")).as("absent: nearest ancestor").isEqualTo(18);
  }

  @Test
  void defaultNamespaceAndDomainSuffixAreConfigurable() {
    ConfigLoader custom = new ConfigLoader(LoadOptions.defaults().withDefaultNamespace("prod").withDomainSuffix("corp"));

    Resource<VirtualService> vs = custom.loadString(REVIEWS, "reviews.yaml").snapshot().virtualServices().getFirst();

    assertThat(vs.namespace()).isEqualTo("prod");
    assertThat(vs.spec().hosts()).containsExactly("reviews.prod.svc.corp");
    assertThat(vs.spec().http().get(1).route().getFirst().destination().host())
        .as("names with dots stay").isEqualTo("ratings.prod.svc.cluster.local");
  }

  @Test
  void loadsDirectoriesRecursivelyInSortedOrder(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("b"));
    Files.writeString(dir.resolve("b/svc.yml"), """
        apiVersion: v1
        kind: Service
        metadata: {name: second, namespace: shop, uid: ignored-field}
        spec:
          ports: [{name: http, port: 80, targetPort: 8080}, {name: grpc, port: 90, targetPort: grpc}]
          selector: {app: second}
          somethingKubernetesHas: true
        """);
    Files.writeString(dir.resolve("a.json"), """
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "first"}, "spec": {"ports": [{"port": 80}]}}
        """);
    Files.writeString(dir.resolve("notes.txt"), "not: config");

    LoadResult result = loader.load(dir);

    assertThat(result.errors()).isEmpty();
    assertThat(result.snapshot().services()).extracting(Resource::name).containsExactly("first", "second");
    ServiceSpec second = result.snapshot().services().get(1).spec();
    assertThat(second.ports().get(0).targetPort().number()).isEqualTo(8080);
    assertThat(second.ports().get(1).targetPort().name()).isEqualTo("grpc");
    assertThat(result.snapshot().find(Kind.SERVICE, "shop", "second")).isPresent();
  }

  @Test
  void readsTabIndentedJson(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("ns.json");
    Files.writeString(file, "{\n\t\"apiVersion\": \"v1\",\n\t\"kind\": \"Namespace\",\n"
        + "\t\"metadata\": {\n\t\t\"name\": \"tabbed\",\n\t\t\"labels\": {\"istio-injection\": \"enabled\"}\n\t}\n}\n");

    LoadResult result = loader.load(file);

    assertThat(result.errors()).isEmpty();
    Resource<?> namespace = result.snapshot().namespaces().getFirst();
    assertThat(namespace.metadata().labels()).containsEntry("istio-injection", "enabled");
    assertThat(namespace.namespace()).as("cluster-scoped").isEmpty();
    assertThat(namespace.origin().lineOf("metadata.labels[istio-injection]")).isEqualTo(6);
  }

  @Test
  void reloadingTheSameTextGivesEqualResources() {
    assertThat(loader.loadString(REVIEWS, "reviews.yaml").resources())
        .isEqualTo(loader.loadString(REVIEWS, "reviews.yaml").resources());
    assertThat(loader.loadString(REVIEWS, "reviews.yaml").resources())
        .isNotEqualTo(loader.loadString(REVIEWS.replace("weight: 30", "weight: 31"), "reviews.yaml").resources());
  }

  @Test
  void kubectlListsStandForTheirItems() {
    LoadResult result = loader.loadString("""
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: ServiceAccount
          metadata: {name: reviews}
        - apiVersion: networking.istio.io/v1
          kind: Gateway
          metadata: {name: broken}
          spec: {servers: [{port: {number: 0, name: http, protocol: HTTP}, hosts: ["*"]}]}
        """, "list.yaml");

    assertThat(result.resources()).extracting(Resource::displayName)
        .containsExactly("ServiceAccount default/reviews", "Gateway default/broken");
    assertThat(result.errors()).singleElement().satisfies(error -> {
      assertThat(error.line()).isEqualTo(10);
      assertThat(error.path()).isEqualTo("spec.servers[0].port.number");
    });
  }

  @Test
  void loadsEachFileOfADirectorySeparately(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("good.yaml"), REVIEWS);
    Files.writeString(dir.resolve("bad.yaml"), "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: [\n");

    Map<Path, LoadResult> results = loader.loadEachFile(dir);

    assertThat(results.keySet()).containsExactly(dir.resolve("bad.yaml"), dir.resolve("good.yaml"));
    assertThat(results.get(dir.resolve("bad.yaml")).hasErrors()).isTrue();
    assertThat(results.get(dir.resolve("good.yaml")).accepted()).hasSize(1);
    assertThat(loader.loadEachFile(dir.resolve("missing")).values()).singleElement()
        .satisfies(result -> assertThat(result.errors().getFirst().message()).startsWith("cannot read directory"));
  }
}
