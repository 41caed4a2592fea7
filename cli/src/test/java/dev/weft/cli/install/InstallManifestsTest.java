package dev.weft.cli.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.weft.controlplane.WeftdMain;
import dev.weft.controlplane.WeftdOptions;
import dev.weft.model.load.MeshConfigLoader;
import dev.weft.proxy.bootstrap.BootstrapLoader;
import dev.weft.proxy.bootstrap.BootstrapResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The rendered install in fabric8's typed model, with nothing left over (a field the model does not know, or of the
 * wrong type, lands in some object's additionalProperties: none may have any), and what its parts must agree on:
 * weftd's arguments are weftd options, its mesh config loads cleanly, the gateway's bootstrap is one weft-proxy
 * loads, the images run the main classes jib gives them, and deploy/kubernetes is what Kustomize and Istio expect.
 */
class InstallManifestsTest {

  private static final Path DEPLOY = Path.of("../deploy/kubernetes");
  private static final List<String> KINDS = List.of("ClusterRole", "ClusterRoleBinding", "ConfigMap",
      "CustomResourceDefinition", "Deployment", "MutatingWebhookConfiguration", "Namespace", "PodDisruptionBudget",
      "Role", "RoleBinding", "Service", "ServiceAccount", "ValidatingWebhookConfiguration");

  @TempDir Path dir;

  @Test
  void everyObjectIsTypedWithNoUnknownField() {
    for (InstallValues values : List.of(InstallValues.defaults(), InstallValues.defaults()
        .with("values.global.istioNamespace", "mesh").with("meshConfig.accessLogFile", "/dev/stdout"))) {
      List<HasMetadata> objects = ClusterInstaller.objects(values);
      assertThat(objects).noneMatch(GenericKubernetesResource.class::isInstance);
      for (HasMetadata object : objects) {
        assertThat(leftOver(object)).as(object.getKind() + " " + object.getMetadata().getName()).isEmpty();
      }
      List<String> kinds = objects.stream().map(HasMetadata::getKind).distinct().sorted().toList();
      assertThat(kinds).isEqualTo(KINDS);
      assertThat(objects).filteredOn(CustomResourceDefinition.class::isInstance).hasSize(15);
    }
  }

  @Test
  void aFieldTheModelDoesNotKnowIsFound() {
    HasMetadata deployment = new KubernetesSerialization().unmarshal("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: x}
        spec:
          replica: 2
          template: {spec: {containers: [{name: c, image: i, imagePullPolice: Always}]}}
        """);
    assertThat(leftOver(deployment)).containsExactlyInAnyOrder("replica", "imagePullPolice");
  }

  @Test
  void weftdsArgumentsAreWeftdOptionsAndItsMeshConfigLoadsCleanly() throws IOException {
    List<HasMetadata> objects = ClusterInstaller.objects(InstallValues.defaults());
    Container discovery = container(objects, "weftd");
    String mesh = one(objects, ConfigMap.class, "istio").getData().get("mesh");
    MeshConfigLoader.Result loaded = new MeshConfigLoader().loadString(mesh, "istio ConfigMap");
    assertThat(loaded.findings()).isEmpty();
    assertThat(loaded.config().orElseThrow().rootNamespace()).isEqualTo("istio-system");

    Path meshFile = Files.writeString(dir.resolve("mesh"), mesh);
    List<String> args = new java.util.ArrayList<>(discovery.getArgs().stream()
        .map(arg -> arg.equals("/etc/istio/config/mesh") ? meshFile.toString() : arg).toList());
    assertThat(args).isNotEqualTo(discovery.getArgs());
    // weftd-kube's own options, for the injection webhook: the sidecar and, unless set, the capture run the
    // install's weft-proxy image.
    for (String option : List.of("--proxy-image", "--proxy-init-image")) {
      int image = args.indexOf(option);
      assertThat(args.get(image + 1)).as(option).isEqualTo(container(objects, "istio-ingressgateway").getImage());
      args.subList(image, image + 2).clear();
    }
    WeftdOptions options = WeftdMain.parse(args.toArray(String[]::new));
    assertThat(options.bindAddress()).isEqualTo("0.0.0.0");
    assertThat(options.xdsTls()).isTrue();
    assertThat(options.dataDir()).contains(Path.of(mount(discovery, "data")));
    assertThat(options.ca().cacerts()).contains(Path.of(mount(discovery, "cacerts")));
    assertThat(mount(discovery, "config-volume") + "/mesh").isEqualTo("/etc/istio/config/mesh");
    assertThat(options.ca().extraServingNames()).contains("istiod.istio-system.svc");

    Map<String, Integer> ports = discovery.getPorts().stream()
        .collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));
    assertThat(ports).containsEntry("https-dns", options.xdsPort()).containsEntry("http-monitoring",
        options.httpPort()).containsEntry("https-webhook", 15017);
    assertThat(discovery.getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(options.httpPort());
    Service istiod = one(objects, Service.class, "istiod");
    assertThat(istiod.getSpec().getPorts().stream().collect(Collectors.toMap(ServicePort::getPort,
        p -> p.getTargetPort().getIntVal()))).isEqualTo(Map.of(15010, 15010, 15012, 15012, 15014, 15014, 443, 15017));
  }

  @Test
  void theGatewaysBootstrapIsOneWeftProxyLoads() throws IOException {
    List<HasMetadata> objects = ClusterInstaller.objects(InstallValues.defaults());
    Container proxy = container(objects, "istio-ingressgateway");
    assertThat(proxy.getArgs()).containsExactly("--bootstrap", mount(proxy, "bootstrap") + "/bootstrap.yaml");
    String bootstrap = one(objects, ConfigMap.class, "istio-ingressgateway-bootstrap").getData()
        .get("bootstrap.yaml");
    BootstrapResult loaded = new BootstrapLoader().parse(bootstrap);
    assertThat(loaded).isInstanceOf(BootstrapResult.Valid.class);
    assertThat(((BootstrapResult.Valid) loaded).bootstrap().getNode().getId())
        .isEqualTo("router~0.0.0.0~istio-ingressgateway.istio-system~istio-system.svc.cluster.local");
    assertThat(bootstrap).contains("filename: " + mount(proxy, "istiod-ca-cert") + "/root-cert.pem");
  }

  /**
   * The manifests run each image's own entrypoint (no command), which runs the main class named here: jib's for weftd,
   * weft-proxy's /usr/local/bin/weft-proxy through jib's main-class file (ProxyImageTest).
   */
  @Test
  void theImagesAreJibsAndRunTheirMainClasses() throws Exception {
    String hub = property(xml(Path.of("../pom.xml")), "weft.image.hub");
    String tag = property(xml(Path.of("pom.xml")).getDocumentElement(), "version");
    Map<String, String> mainClasses = Map.of(
        "weftd", jibMainClass(Path.of("../kube/pom.xml"), "weftd"),
        "weft-proxy", jibMainClass(Path.of("../proxy/pom.xml"), "weft-proxy"));
    assertThat(mainClasses).isEqualTo(Map.of("weftd", "dev.weft.kube.WeftdKubeMain",
        "weft-proxy", "dev.weft.proxy.ProxyMain"));
    assertThat(Class.forName(mainClasses.get("weft-proxy")).getMethod("main", String[].class)).isNotNull();

    List<HasMetadata> objects = ClusterInstaller.objects(InstallValues.defaults());
    Container weftd = container(objects, "weftd");
    Container gateway = container(objects, "istio-ingressgateway");
    assertThat(weftd.getImage()).isEqualTo(hub + "/weftd:" + tag);
    assertThat(gateway.getImage()).isEqualTo(hub + "/weft-proxy:" + tag);
    assertThat(weftd.getCommand()).isEmpty();
    assertThat(gateway.getCommand()).isEmpty();
    Element kubePom = xml(Path.of("../kube/pom.xml")).getDocumentElement();
    List<Integer> exposed = new ArrayList<>();
    var ports = kubePom.getElementsByTagName("port");
    for (int i = 0; i < ports.getLength(); i++) {
      exposed.add(Integer.valueOf(ports.item(i).getTextContent().strip()));
    }
    assertThat(exposed).containsExactlyInAnyOrderElementsOf(
        weftd.getPorts().stream().map(ContainerPort::getContainerPort).toList());
  }

  @Test
  void kustomizationListsTheFilesInApplyOrder() throws IOException {
    JsonNode kustomization = new ObjectMapper(new YAMLFactory()).readTree(DEPLOY.resolve("kustomization.yaml")
        .toFile());
    List<String> resources = new ArrayList<>();
    kustomization.get("resources").forEach(r -> resources.add(r.asText()));
    assertThat(resources).isEqualTo(InstallManifests.FILES);
  }

  @Test
  void theCrdsAreIstiosByteForByte() throws IOException {
    Path istio = Path.of(System.getProperty("weft.shared.dir"),
        "istio/corpus/manifests/charts/base/files/crd-all.gen.yaml");
    assertThat(istio).exists();
    assertThat(Files.mismatch(DEPLOY.resolve(InstallManifests.CRDS), istio)).isEqualTo(-1L);
  }

  private static Container container(List<HasMetadata> objects, String deployment) {
    return one(objects, Deployment.class, deployment).getSpec().getTemplate().getSpec().getContainers().getFirst();
  }

  private static String mount(Container container, String volume) {
    return container.getVolumeMounts().stream().filter(m -> m.getName().equals(volume)).findFirst().orElseThrow()
        .getMountPath();
  }

  private static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type, String name) {
    return objects.stream().filter(type::isInstance).map(type::cast)
        .filter(o -> o.getMetadata().getName().equals(name)).findFirst().orElseThrow();
  }

  private static Document xml(Path file) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
  }

  private static String property(Document pom, String name) {
    return pom.getElementsByTagName(name).item(0).getTextContent().strip();
  }

  /** The project's own version: the first {@code version} under the parent element, as in every module. */
  private static String property(Element project, String name) {
    Element parent = (Element) project.getElementsByTagName("parent").item(0);
    return parent.getElementsByTagName(name).item(0).getTextContent().strip();
  }

  private static String jibMainClass(Path pom, String image) throws Exception {
    Document module = xml(pom);
    assertThat(property(module, "weft.image.name")).isEqualTo(image);
    return property(module, "mainClass");
  }

  /** Every field name found in some additionalProperties of the object's graph. */
  private static List<String> leftOver(Object root) {
    List<String> found = new ArrayList<>();
    walk(root, found, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
    return found;
  }

  private static void walk(Object value, List<String> found, Set<Object> seen) {
    if (value instanceof Map<?, ?> map) {
      map.values().forEach(v -> walk(v, found, seen));
    } else if (value instanceof Iterable<?> list) {
      list.forEach(v -> walk(v, found, seen));
    } else if (value != null && value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")
        && seen.add(value)) {
      for (Method getter : value.getClass().getMethods()) {
        if (getter.getParameterCount() > 0 || Modifier.isStatic(getter.getModifiers())
            || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
          continue;
        }
        Object field = invoke(getter, value);
        if (getter.getName().equals("getAdditionalProperties") && field instanceof Map<?, ?> extra) {
          extra.keySet().forEach(k -> found.add(String.valueOf(k)));
        } else {
          walk(field, found, seen);
        }
      }
    }
  }

  private static Object invoke(Method getter, Object on) {
    try {
      return getter.invoke(on);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(getter + " on " + on.getClass(), e);
    }
  }
}
