package dev.weft.model.analysis;

import dev.weft.model.Resource;
import dev.weft.model.networking.Gateway;
import dev.weft.model.networking.ServerTLSSettings;
import java.util.List;

/**
 * Istio's {@code gateway.SecretAnalyzer}: a Gateway server's {@code credentialName} that names no credential is
 * IST0101 at that field (the gateway's listener would wait for it forever). A credential exists when the mesh serves it
 * from outside its config (weft's credentials directory, {@link AnalysisContext#credentials()}) or a Secret of that
 * name is in the namespace of a workload the Gateway selects ({@code istio-system} when it selects none, where Istio's
 * ingress gateway runs).
 */
final class GatewaySecretAnalyzer implements Analyzer {

  private static final String GATEWAY_NAMESPACE = "istio-system";

  @Override
  public String name() {
    return "gateway.SecretAnalyzer";
  }

  @Override
  public void analyze(AnalysisContext context) {
    for (Resource<Gateway> gateway : context.snapshot().gateways()) {
      List<String> namespaces = gateway.spec().selector() == null ? List.of()
          : context.workloads().selectedAnywhere(gateway.spec().selector()).stream()
              .map(Workloads.Workload::namespace).distinct().toList();
      List<String> where = namespaces.isEmpty() ? List.of(GATEWAY_NAMESPACE) : namespaces;
      for (int i = 0; i < gateway.spec().servers().size(); i++) {
        ServerTLSSettings tls = gateway.spec().servers().get(i).tls();
        if (tls == null || tls.credentialName().isEmpty()) {
          continue;
        }
        String name = tls.credentialName();
        boolean found = context.credentials().contains(name) || where.stream()
            .anyMatch(ns -> context.snapshot().secrets().stream()
                .anyMatch(s -> s.namespace().equals(ns) && s.name().equals(name)));
        if (!found) {
          context.report(gateway, "spec.servers[" + i + "].tls.credentialName",
              MessageType.REFERENCED_RESOURCE_NOT_FOUND, "credentialName", name);
        }
      }
    }
  }
}
