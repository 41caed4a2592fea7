package dev.weft.model.analysis;

import dev.weft.model.Resource;
import dev.weft.model.networking.Gateway;
import dev.weft.model.networking.Server;
import java.util.ArrayList;
import java.util.List;

/**
 * Two Gateways that select the same workloads cannot both claim a port for the same host: the
 * listener they would produce conflicts.
 */
final class ConflictingGatewayAnalyzer implements Analyzer {

  @Override
  public String name() {
    return "gateway.ConflictingGatewayAnalyzer";
  }

  @Override
  public void analyze(AnalysisContext context) {
    List<Resource<Gateway>> gateways = context.snapshot().gateways();
    for (Resource<Gateway> gateway : gateways) {
      List<String> conflicting = new ArrayList<>();
      Server conflictServer = null;
      List<String> conflictHosts = new ArrayList<>();
      for (Resource<Gateway> other : gateways) {
        if (other == gateway || !gateway.spec().selector().equals(other.spec().selector())) {
          continue;
        }
        for (Server mine : gateway.spec().servers()) {
          for (Server theirs : other.spec().servers()) {
            List<String> shared = sharedHosts(mine, theirs);
            if (mine.port() != null && theirs.port() != null
                && mine.port().number() == theirs.port().number() && !shared.isEmpty()) {
              conflicting.add(other.namespace() + "/" + other.name());
              conflictServer = mine;
              conflictHosts.addAll(shared);
            }
          }
        }
      }
      if (!conflicting.isEmpty()) {
        context.report(gateway, "spec.servers", MessageType.CONFLICTING_GATEWAYS,
            String.join(",", conflicting.stream().distinct().toList()), Selectors.text(gateway.spec().selector()),
            String.valueOf(conflictServer.port().number()), conflictHosts.stream().distinct().toList());
      }
    }
  }

  private static List<String> sharedHosts(Server a, Server b) {
    List<String> shared = new ArrayList<>();
    for (String host : a.hosts()) {
      if (b.hosts().stream().anyMatch(other -> HostPatterns.overlap(bare(host), bare(other)))) {
        shared.add(host);
      }
    }
    return shared;
  }

  private static String bare(String serverHost) {
    int slash = serverHost.indexOf('/');
    return slash < 0 ? serverHost : serverHost.substring(slash + 1);
  }
}
