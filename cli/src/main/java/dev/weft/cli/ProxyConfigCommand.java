package dev.weft.cli;

import static dev.weft.cli.ConfigDump.field;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.weft.cli.local.ProcessRecord;
import dev.weft.cli.local.RuntimeState;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weft proxy-config listeners|routes|clusters|endpoints|secrets|authz|all PROXY}: what one proxy runs, read
 * from its admin {@code /config_dump} (and {@code /clusters} for endpoints, {@code /stats} for what each
 * authorization rule decided), as istioctl's tables or as JSON. The proxy is the local mesh's, the admin
 * {@code --admin} names, or, with {@code --kubeconfig}/{@code --context}, a pod's sidecar on a cluster.
 */
@Command(name = "proxy-config", aliases = "pc", mixinStandardHelpOptions = true,
    description = "Show the configuration a proxy runs, from its admin /config_dump.")
final class ProxyConfigCommand implements Callable<Integer> {

  enum Section { listeners, routes, clusters, endpoints, secrets, authz, all }

  enum Format { table, json }

  @Spec CommandSpec spec;
  @Mixin StateDirOption state;

  @Parameters(index = "0", paramLabel = "SECTION", description = "One of: ${COMPLETION-CANDIDATES}.")
  Section section;

  @Mixin ClusterOptions cluster;

  @Parameters(index = "1", arity = "0..1", paramLabel = "PROXY",
      description = {"A workload (its sidecar), a process name, or istio-ingressgateway; not needed with --admin.",
          "With --kubeconfig or --context: a pod, POD[.NAMESPACE], as istioctl names it."})
  String proxy;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
      description = "With a cluster: the pod's namespace when PROXY names none (default: the context's, else default).")
  String namespace;

  @Option(names = "--admin", paramLabel = "URL", description = "The proxy's admin URL, instead of a local mesh's.")
  URI admin;

  @Option(names = {"-o", "--output"}, defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format output;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
      .proxy(HttpClient.Builder.NO_PROXY).build();
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (cluster.named() && admin == null) {
      return onCluster(out, err);
    }
    Optional<URI> target = admin != null ? Optional.of(admin) : findAdmin();
    if (target.isEmpty()) {
      err.println(proxy == null
          ? "weft: name a proxy (a workload such as reviews-v1, or istio-ingressgateway) or give --admin URL"
          : "weft: no proxy \"" + proxy + "\" in the local mesh (" + state.store().directory() + ")");
      return 1;
    }
    return show(out, err, "the proxy admin at " + target.get(), path -> get(target.get(), path));
  }

  /** A pod's sidecar, {@code POD[.NAMESPACE]} as istioctl names it, read through the API server. */
  private int onCluster(PrintWriter out, PrintWriter err) {
    if (proxy == null) {
      err.println("weft: name a pod: weft proxy-config " + section + " POD[.NAMESPACE]");
      return 1;
    }
    try (KubernetesClient client = cluster.client()) {
      int dot = proxy.lastIndexOf('.');
      String pod = dot < 0 ? proxy : proxy.substring(0, dot);
      String podNamespace = dot >= 0 ? proxy.substring(dot + 1)
          : namespace != null ? namespace : Optional.ofNullable(client.getNamespace()).orElse("default");
      ApiServerProxy api = new ApiServerProxy(client);
      return show(out, err, "the proxy admin of pod " + podNamespace + "/" + pod,
          path -> api.get(podNamespace, pod, ApiServerProxy.PROXY_ADMIN_PORT, path));
    } catch (IllegalArgumentException e) {
      err.println("weft: " + e.getMessage());
      return 1;
    } catch (KubernetesClientException | IOException e) {
      err.println(cluster.failure(e));
      return 1;
    }
  }

  /** How the admin's pages are read: over HTTP, or through the API server. */
  @FunctionalInterface
  private interface AdminPages {
    String get(String path) throws IOException, InterruptedException;
  }

  private int show(PrintWriter out, PrintWriter err, String what, AdminPages admin) {
    try {
      JsonNode dump = json.readTree(admin.get("/config_dump"));
      String clusterStats = section == Section.endpoints || section == Section.all ? admin.get("/clusters") : "";
      String stats = section == Section.authz || section == Section.all ? admin.get("/stats") : "";
      if (output == Format.json) {
        out.println(json.writeValueAsString(section == Section.all ? dump : jsonSection(dump, clusterStats, stats)));
      } else {
        printTables(out, dump, clusterStats, stats);
      }
      out.flush();
      return 0;
    } catch (IOException e) {
      err.println("weft: " + what + " did not answer: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private Optional<URI> findAdmin() {
    if (proxy == null) {
      return Optional.empty();
    }
    return state.store().read().map(RuntimeState::processes).orElse(List.of()).stream()
        .filter(p -> !p.admin().isEmpty())
        .filter(p -> p.name().equals(proxy) || p.workload().equals(proxy) || p.name().equals(proxy + ".proxy"))
        .map(ProcessRecord::admin)
        .findFirst()
        .map(URI::create);
  }

  private String get(URI base, String path) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve(path))
        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(path + " answered " + response.statusCode() + ": " + response.body().strip());
    }
    return response.body();
  }

  private JsonNode jsonSection(JsonNode dump, String clusterStats, String stats) {
    ArrayNode items = json.createArrayNode();
    switch (section) {
      case listeners -> ConfigDump.listeners(dump).forEach(items::add);
      case routes -> ConfigDump.routeConfigs(dump).forEach(items::add);
      case clusters -> ConfigDump.clusters(dump).forEach(items::add);
      case endpoints -> endpoints(clusterStats).forEach(e -> items.add(json.valueToTree(e)));
      case secrets -> SecretRows.secrets(dump).forEach(d -> items.add(d.entry()));
      case authz -> AuthorizationRows.rows(dump, stats).forEach(r -> items.add(json.valueToTree(r)));
      case all -> { }
    }
    return items;
  }

  private void printTables(PrintWriter out, JsonNode dump, String clusterStats, String stats) {
    boolean all = section == Section.all;
    if (all || section == Section.clusters) {
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("SERVICE FQDN", "PORT", "SUBSET", "DIRECTION", "TYPE"));
      for (JsonNode cluster : ConfigDump.clusters(dump)) {
        String name = cluster.path("name").asText();
        String[] parts = name.split("\\|", -1);
        String type = field(cluster, "type").asText("STATIC");
        rows.add(parts.length == 4
            ? List.of(parts[3].isEmpty() ? "-" : parts[3], parts[1], parts[2].isEmpty() ? "-" : parts[2], parts[0], type)
            : List.of(name, "-", "-", "-", type));
      }
      Table.print(out, rows);
    }
    if (all || section == Section.listeners) {
      separate(out, all);
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("NAME", "ADDRESS", "PORT", "FILTERS"));
      for (JsonNode listener : ConfigDump.listeners(dump)) {
        JsonNode socket = field(field(listener, "address"), "socket_address", "socketAddress");
        List<String> filters = new ArrayList<>();
        for (JsonNode chain : field(listener, "filter_chains", "filterChains")) {
          for (JsonNode filter : field(chain, "filters")) {
            String name = filter.path("name").asText().replace("envoy.filters.network.", "");
            if (!filters.contains(name)) {
              filters.add(name);
            }
          }
        }
        rows.add(List.of(listener.path("name").asText(), field(socket, "address").asText(),
            field(socket, "port_value", "portValue").asText(), String.join(",", filters)));
      }
      Table.print(out, rows);
    }
    if (all || section == Section.routes) {
      separate(out, all);
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("NAME", "VHOST NAME", "DOMAINS", "MATCH", "VIRTUAL SERVICE", "ACTION"));
      for (JsonNode config : ConfigDump.routeConfigs(dump)) {
        for (JsonNode host : field(config, "virtual_hosts", "virtualHosts")) {
          List<String> domains = new ArrayList<>();
          field(host, "domains").forEach(d -> domains.add(d.asText()));
          for (JsonNode route : field(host, "routes")) {
            rows.add(List.of(config.path("name").asText(), host.path("name").asText(),
                domains.isEmpty() ? "-" : domains.getFirst() + (domains.size() > 1 ? " +" + (domains.size() - 1) : ""),
                match(field(route, "match")), virtualService(route), action(route)));
          }
        }
      }
      Table.print(out, rows);
    }
    if (all || section == Section.endpoints) {
      separate(out, all);
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("ENDPOINT", "STATUS", "CLUSTER"));
      endpoints(clusterStats).forEach(e -> rows.add(List.of(e.endpoint(), e.status(), e.cluster())));
      Table.print(out, rows);
    }
    if (all || section == Section.secrets) {
      separate(out, all);
      Table.print(out, SecretRows.rows(dump, Instant.now()));
    }
    if (all || section == Section.authz) {
      separate(out, all);
      Table.print(out, AuthorizationRows.table(dump, stats));
    }
  }

  /**
   * The VirtualService a route came from, {@code name.namespace} as istioctl shows it, from Istio's config metadata
   * ({@code istio.config: /apis/networking.istio.io/v1/namespaces/NS/virtual-service/NAME}); "-" for the others.
   */
  static String virtualService(JsonNode route) {
    String config = field(field(field(route, "metadata"), "filter_metadata", "filterMetadata"), "istio")
        .path("config").asText("");
    String[] parts = config.split("/");
    return parts.length == 8 && parts[6].equals("virtual-service") ? parts[7] + "." + parts[5] : "-";
  }

  private static void separate(PrintWriter out, boolean all) {
    if (all) {
      out.println();
    }
  }

  /** One upstream host as the admin's {@code /clusters} lists it. */
  record Endpoint(String endpoint, String status, String cluster) {}

  static List<Endpoint> endpoints(String clusterStats) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (String line : clusterStats.split("\n")) {
      String[] parts = line.split("::");
      if (parts.length == 4 && parts[2].equals("health_flags")) {
        endpoints.add(new Endpoint(parts[1], parts[3].equals("healthy") ? "HEALTHY" : "UNHEALTHY " + parts[3],
            parts[0]));
      }
    }
    return endpoints;
  }

  private static String match(JsonNode match) {
    for (String key : List.of("prefix", "path", "path_separated_prefix", "pathSeparatedPrefix")) {
      if (match.has(key)) {
        return key.startsWith("path") && !key.equals("path") ? match.get(key).asText() + "/*"
            : key.equals("prefix") ? match.get(key).asText() + "*" : match.get(key).asText();
      }
    }
    JsonNode regex = field(match, "safe_regex", "safeRegex");
    return regex.isMissingNode() ? "*" : "~" + regex.path("regex").asText();
  }

  private static String action(JsonNode route) {
    JsonNode action = field(route, "route");
    if (!action.isMissingNode()) {
      if (action.has("cluster")) {
        return action.get("cluster").asText();
      }
      JsonNode weighted = field(action, "weighted_clusters", "weightedClusters");
      List<String> targets = new ArrayList<>();
      field(weighted, "clusters").forEach(c -> targets.add(c.path("name").asText() + " " + c.path("weight").asText()));
      return String.join(", ", targets);
    }
    if (route.has("redirect")) {
      return "redirect";
    }
    JsonNode direct = field(route, "direct_response", "directResponse");
    return direct.isMissingNode() ? "-" : "direct " + direct.path("status").asText();
  }
}
