package dev.weft.cli;

import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscoveryBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ServerAddressByClientCIDRBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.logging.Logger;

/**
 * fabric8's mock API server in CRUD mode on loopback (port 0), also answering API discovery ({@code /api},
 * {@code /apis}, {@code /api/v1}, {@code /apis/GROUP/VERSION}) for the given kinds, which kubectl needs to map a
 * kind to its URL and the CRUD mock alone does not serve. It serves no OpenAPI (404), so kubectl runs with
 * {@code --validate=false}; the manifests' schema is checked by the typed model instead. A pod's proxy subresource
 * ({@code /api/v1/namespaces/NS/pods/POD:PORT/proxy/PATH}) is forwarded to the server {@link #forward} names, as the
 * API server forwards it to the pod.
 */
final class DiscoveringApiServer implements AutoCloseable {

  /** The mock logs every request at INFO; held here so the level sticks. */
  private static final Logger REQUEST_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  static {
    REQUEST_LOG.setLevel(Level.WARNING);
  }

  /** {@code /api/v1/namespaces/NS/pods/POD:PORT/proxy[/PATH]} (the colon may be escaped), with the path's query. */
  private static final Pattern POD_PROXY = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)(?::|%3A)([0-9]+)/proxy(.*)");
  private static final List<String> VERBS = List.of("create", "delete", "get", "list", "patch", "update", "watch");
  private final KubernetesSerialization json = new KubernetesSerialization();
  private final KubernetesMockServer server;
  private final Map<String, URI> forwards = new ConcurrentHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

  DiscoveringApiServer(Collection<? extends HasMetadata> kinds) {
    Map<String, Map<String, APIResource>> resources = new TreeMap<>();
    for (HasMetadata object : kinds) {
      Class<? extends HasMetadata> type = object.getClass();
      resources.computeIfAbsent(object.getApiVersion(), v -> new TreeMap<>()).put(HasMetadata.getPlural(type),
          new APIResourceBuilder().withName(HasMetadata.getPlural(type)).withKind(object.getKind())
              .withSingularName(HasMetadata.getSingular(type))
              .withNamespaced(Namespaced.class.isAssignableFrom(type)).withVerbs(VERBS).build());
    }
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new Discovery(new KubernetesCrudDispatcher(), resources), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
  }

  /** Answers {@code namespace/pod}'s proxy subresource on {@code port} from the server at {@code target}. */
  void forward(String namespace, String pod, int port, URI target) {
    forwards.put(namespace + "/" + pod + ":" + port, target);
  }

  KubernetesClient client() {
    return server.createClient();
  }

  /** A kubeconfig for kubectl and weft naming this server (plain HTTP, a token it ignores). */
  Path kubeconfig(Path dir) throws IOException {
    Path file = dir.resolve("kubeconfig");
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster: {server: "http://127.0.0.1:%d"}
        users:
        - name: test
          user: {token: mock}
        contexts:
        - name: mock
          context: {cluster: mock, user: test, namespace: default}
        current-context: mock
        """.formatted(server.getPort()));
    return file;
  }

  @Override
  public void close() {
    server.destroy();
  }

  private final class Discovery extends Dispatcher {

    private final Dispatcher crud;
    private final Map<String, Map<String, APIResource>> resources;

    Discovery(Dispatcher crud, Map<String, Map<String, APIResource>> resources) {
      this.crud = crud;
      this.resources = resources;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getPath().replaceFirst("\\?.*", "");
      Matcher proxied = POD_PROXY.matcher(request.getPath());
      if (proxied.matches()) {
        URI target = forwards.get(proxied.group(1) + "/" + proxied.group(2) + ":" + proxied.group(3));
        return target != null ? forwarded(target, proxied.group(4)) : new MockResponse().setResponseCode(404)
            .setHeader("Content-Type", "application/json").setBody(json.asJson(new StatusBuilder().withStatus("Failure")
                .withReason("NotFound").withCode(404).withMessage("pods \"" + proxied.group(2) + "\" not found").build()));
      }
      if (!request.getMethod().equals("GET")) {
        return crud.dispatch(request);
      }
      if (path.startsWith("/openapi/")) {
        return new MockResponse().setResponseCode(404);
      }
      if (path.equals("/api")) {
        return ok(new APIVersionsBuilder().withVersions("v1").withServerAddressByClientCIDRs(
            new ServerAddressByClientCIDRBuilder().withClientCIDR("0.0.0.0/0").withServerAddress("127.0.0.1")
                .build()).build());
      }
      if (path.equals("/apis")) {
        APIGroupListBuilder groups = new APIGroupListBuilder();
        resources.keySet().stream().filter(v -> v.contains("/")).forEach(groupVersion -> {
          String group = groupVersion.substring(0, groupVersion.indexOf('/'));
          var version = new GroupVersionForDiscoveryBuilder().withGroupVersion(groupVersion)
              .withVersion(groupVersion.substring(group.length() + 1)).build();
          groups.addToGroups(new APIGroupBuilder().withName(group).withVersions(version)
              .withPreferredVersion(version).build());
        });
        return ok(groups.build());
      }
      String groupVersion = path.startsWith("/apis/") ? path.substring("/apis/".length())
          : path.startsWith("/api/") ? path.substring("/api/".length()) : "";
      if (resources.containsKey(groupVersion)) {
        return ok(new APIResourceListBuilder().withGroupVersion(groupVersion)
            .withResources(List.copyOf(resources.get(groupVersion).values())).build());
      }
      return crud.dispatch(request);
    }

    private MockResponse forwarded(URI target, String pathAndQuery) {
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(target.resolve(
            pathAndQuery.isEmpty() ? "/" : pathAndQuery)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return new MockResponse().setResponseCode(response.statusCode()).setBody(response.body());
      } catch (IOException e) {
        return new MockResponse().setResponseCode(503).setBody("error trying to reach service: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new MockResponse().setResponseCode(503);
      }
    }

    private MockResponse ok(Object body) {
      return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
          .setBody(json.asJson(body));
    }
  }
}
