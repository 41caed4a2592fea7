package dev.weft.model.analysis;

import dev.weft.model.Kind;
import dev.weft.model.Resource;
import dev.weft.model.networking.Gateway;
import dev.weft.model.networking.Server;
import dev.weft.model.networking.VirtualService;
import java.util.List;
import java.util.Optional;

/**
 * Every gateway a VirtualService binds to must exist, and must serve at least one of its hosts to the
 * rule's namespace (server hosts are {@code [namespace/]host}, with {@code *} and {@code .} namespaces).
 */
final class VirtualServiceGatewayAnalyzer implements Analyzer {

  @Override
  public String name() {
    return "virtualservice.GatewayAnalyzer";
  }

  @Override
  public void analyze(AnalysisContext context) {
    for (Resource<VirtualService> vs : context.snapshot().virtualServices()) {
      List<String> hosts = writtenHosts(vs);
      List<String> gateways = vs.spec().gateways();
      for (int i = 0; i < gateways.size(); i++) {
        String reference = gateways.get(i);
        if (reference.equals(GatewayNames.MESH)) {
          continue;
        }
        String path = "spec.gateways[" + i + "]";
        GatewayNames.GatewayRef ref = GatewayNames.resolve(reference, vs.namespace());
        Optional<Resource<?>> gateway = context.snapshot().find(Kind.GATEWAY, ref.namespace(), ref.name());
        if (gateway.isEmpty()) {
          context.report(vs, path, MessageType.REFERENCED_RESOURCE_NOT_FOUND, "gateway", reference);
        }
        boolean served = gateway
            .map(g -> servesAny(g.as(Gateway.class), hosts, vs.namespace()))
            .orElse(false);
        if (!served) {
          context.report(vs, path, MessageType.VIRTUAL_SERVICE_HOST_NOT_FOUND_IN_GATEWAY, hosts,
              vs.name(), ref.toString());
        }
      }
    }
  }

  /** The hosts as the user wrote them (gateway hosts are compared before any FQDN expansion). */
  static List<String> writtenHosts(Resource<VirtualService> vs) {
    List<String> hosts = vs.spec().hosts();
    return java.util.stream.IntStream.range(0, hosts.size())
        .mapToObj(i -> vs.origin().textOf("spec.hosts[" + i + "]").orElse(hosts.get(i)))
        .toList();
  }

  static boolean servesAny(Resource<Gateway> gateway, List<String> vsHosts, String vsNamespace) {
    for (Server server : gateway.spec().servers()) {
      for (String serverHost : server.hosts()) {
        int slash = serverHost.indexOf('/');
        String namespace = slash < 0 ? "*" : serverHost.substring(0, slash);
        String host = slash < 0 ? serverHost : serverHost.substring(slash + 1);
        boolean namespaceMatches = namespace.equals("*")
            || (namespace.equals(".") ? gateway.namespace() : namespace).equals(vsNamespace);
        if (namespaceMatches && vsHosts.stream().anyMatch(h -> HostPatterns.overlap(host, h))) {
          return true;
        }
      }
    }
    return false;
  }
}
