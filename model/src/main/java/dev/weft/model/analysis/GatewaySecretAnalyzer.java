package dev.weft.model.analysis;

import dev.weft.model.Resource;
import dev.weft.model.networking.CredentialReference;
import dev.weft.model.networking.Gateway;
import dev.weft.model.networking.ServerTLSSettings;
import java.util.List;

/**
 * Istio's {@code gateway.SecretAnalyzer}: a Gateway server's {@code credentialName} that names no credential is
 * IST0101 at that field (the gateway's listener would wait for it forever). A credential exists when the mesh serves it
 * from outside its config to the gateway ({@link AnalysisContext#credentials()}: mesh-wide, or of the gateway's
 * namespace) or a Secret of that name is in the namespace of a workload the Gateway selects ({@code istio-system} when
 * it selects none, where Istio's ingress gateway runs). A {@code namespace/name} of another namespace is never served
 * ({@link CredentialReference}), so it is not found either.
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
        CredentialReference reference = CredentialReference.parse(tls.credentialName());
        if (where.stream().noneMatch(ns -> found(context, reference, ns))) {
          context.report(gateway, "spec.servers[" + i + "].tls.credentialName",
              MessageType.REFERENCED_RESOURCE_NOT_FOUND, "credentialName", tls.credentialName());
        }
      }
    }
  }

  /** Whether a gateway workload in {@code namespace} is given the credential. */
  private static boolean found(AnalysisContext context, CredentialReference reference, String namespace) {
    String name = reference.name();
    return reference.visibleFrom(namespace) && (context.credentials().contains(name)
        || context.credentials().contains(namespace + "/" + name)
        || context.snapshot().secrets().stream()
            .anyMatch(s -> s.namespace().equals(namespace) && s.name().equals(name)));
  }
}
