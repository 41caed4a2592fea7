package dev.weft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * ACKed what weftd last sent (SYNCED), has not been sent that type (NOT SENT), or lags or NACKed (STALE).
 */
@Command(name = "proxy-status", aliases = "ps", mixinStandardHelpOptions = true,
    description = "Show each proxy's xDS sync status with weftd (SYNCED, NOT SENT or STALE per type).")
final class ProxyStatusCommand implements Callable<Integer> {
  private static final List<String> TYPES = List.of("CDS", "LDS", "EDS", "RDS");

  @Spec CommandSpec spec;
  @Mixin StateDirOption state;

  @Option(names = "--weftd", paramLabel = "URL",
      description = "weftd's HTTP API (default: the local mesh's, from the state directory).")
  URI weftd;

  @Parameters(arity = "0..1", paramLabel = "PROXY", description = "Only proxies whose ID contains this text.")
  String filter;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<URI> target = state.weftd(weftd);
    if (target.isEmpty()) {
      err.println("weft: no local mesh is running; start one with weft up, or name a weftd with --weftd URL");
      return 1;
    }
    JsonNode proxies;
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
          .proxy(HttpClient.Builder.NO_PROXY).build();
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(target.get().resolve("/debug/syncz"))
          .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
      proxies = new ObjectMapper().readTree(response.body());
    } catch (IOException e) {
      err.println("weft: weftd at " + target.get() + " did not answer: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
      row.add("weftd@" + target.get().getAuthority());
      rows.add(row);
    }
    Table.print(out, rows);
    out.flush();
    return allSynced ? 0 : 1;
  }
}
