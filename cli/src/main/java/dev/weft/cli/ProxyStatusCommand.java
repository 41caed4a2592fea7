package dev.weft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
 * {@code weft proxy-status}: istioctl's table of every connected proxy and, per xDS type, whether it has
 * ACKed what weftd last sent (SYNCED), has not been sent that type (NOT SENT), or lags or NACKed (STALE). weftd is the
 * local mesh's, the one {@code --weftd} names, or, with {@code --kubeconfig}/{@code --context}, a cluster's.
 */
@Command(name = "proxy-status", aliases = "ps", mixinStandardHelpOptions = true,
    description = "Show each proxy's xDS sync status with weftd (SYNCED, NOT SENT or STALE per type).")
final class ProxyStatusCommand implements Callable<Integer> {
  private static final List<String> TYPES = List.of("CDS", "LDS", "EDS", "RDS");

  @Spec CommandSpec spec;
  @Mixin StateDirOption state;
  @Mixin ClusterOptions cluster;

  @Option(names = "--weftd", paramLabel = "URL",
      description = "weftd's HTTP API (default: the local mesh's, from the state directory).")
  URI weftd;

  @Option(names = {"-i", "--istioNamespace"}, paramLabel = "NS", defaultValue = "istio-system",
      description = "With a cluster: the namespace of weftd's pods (default: ${DEFAULT-VALUE}).")
  String istioNamespace;

  @Parameters(arity = "0..1", paramLabel = "PROXY", description = "Only proxies whose ID contains this text.")
  String filter;

  /** weftd's {@code /debug/syncz} and which weftd answered, for the ISTIOD column. */
  private record Syncz(String body, String answeredBy) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<Syncz> syncz = cluster.named() ? fromCluster(err) : fromLocal(err);
    if (syncz.isEmpty()) {
      return 1;
    }
    JsonNode proxies;
    try {
      proxies = new ObjectMapper().readTree(syncz.get().body());
    } catch (IOException e) {
      err.println("weft: " + syncz.get().answeredBy() + " answered what is not a proxy list: " + e.getMessage());
      return 1;
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("NAME", "CDS", "LDS", "EDS", "RDS", "ISTIOD"));
    boolean allSynced = true;
    for (JsonNode proxy : proxies) {
      String id = proxy.path("proxyID").asText();
      if (filter != null && !id.contains(filter)) {
        continue;
      }
      List<String> row = new ArrayList<>(List.of(id));
      for (String type : TYPES) {
        String status = proxy.path("types").path(type).path("status").asText("NOT_SENT").replace('_', ' ');
        row.add(status);
        allSynced &= !status.equals("STALE");
      }
      row.add(syncz.get().answeredBy());
      rows.add(row);
    }
    Table.print(out, rows);
    out.flush();
    return allSynced ? 0 : 1;
  }

  private Optional<Syncz> fromLocal(PrintWriter err) {
    Optional<URI> target = state.weftd(weftd);
    if (target.isEmpty()) {
      err.println("weft: no local mesh is running; start one with weft up, name a weftd with --weftd URL, or a"
          + " cluster with --kubeconfig FILE or --context NAME");
      return Optional.empty();
    }
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
          .proxy(HttpClient.Builder.NO_PROXY).build();
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(target.get().resolve("/debug/syncz"))
          .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
      return Optional.of(new Syncz(response.body(), "weftd@" + target.get().getAuthority()));
    } catch (IOException e) {
      err.println("weft: weftd at " + target.get() + " did not answer: " + e.getMessage());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** As istioctl: a running weftd (istiod) pod, asked through the API server; the ISTIOD column names the pod. */
  private Optional<Syncz> fromCluster(PrintWriter err) {
    try (KubernetesClient client = cluster.client()) {
      ApiServerProxy api = new ApiServerProxy(client);
      Optional<String> pod = api.controlPlanePod(istioNamespace);
      if (pod.isEmpty()) {
        err.println(ApiServerProxy.noControlPlane(istioNamespace));
        return Optional.empty();
      }
      return Optional.of(new Syncz(api.get(istioNamespace, pod.get(), ApiServerProxy.WEFTD_DEBUG_PORT,
          "/debug/syncz"), pod.get()));
    } catch (IllegalArgumentException e) {
      err.println("weft: " + e.getMessage());
    } catch (KubernetesClientException e) {
      err.println(cluster.failure(e));
    } catch (IOException e) {
      err.println("weft: weftd in " + istioNamespace + " did not answer: " + e.getMessage());
    }
    return Optional.empty();
  }
}
