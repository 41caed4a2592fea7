package dev.weft.model.analysis;

import dev.weft.model.Resource;
import dev.weft.model.analysis.MeshServices.MeshService;
import dev.weft.model.networking.ClientTLSMode;
import dev.weft.model.networking.ClientTLSSettings;
import dev.weft.model.networking.DestinationRule;
import dev.weft.model.networking.PortTrafficPolicy;
import dev.weft.model.networking.TrafficPolicy;
import dev.weft.model.security.ComposedPeerAuthentication;
import dev.weft.model.security.MtlsMode;
import dev.weft.model.security.PeerAuthentication;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Istio's IST0113, for today's APIs: a DestinationRule that makes clients send plain text or their own TLS (tls mode
 * DISABLE or SIMPLE) to a service whose workloads a PeerAuthentication makes STRICT. Every such request fails: the
 * server's sidecar takes mutual TLS only. The policy is the one that decides the workloads' mode (workload over
 * namespace over mesh, the oldest within a level).
 */
final class MtlsPolicyConflictAnalyzer implements Analyzer {

  static final String ROOT_NAMESPACE = "istio-system";

  @Override
  public String name() {
    return "security.MtlsPolicyConflictAnalyzer";
  }

  @Override
  public void analyze(AnalysisContext context) {
    for (Resource<DestinationRule> dr : context.snapshot().destinationRules()) {
      TrafficPolicy policy = dr.spec().trafficPolicy();
      if (policy == null) {
        continue;
      }
      for (MeshService service : context.services().visible(dr.spec().host(), dr.namespace())) {
        if (!(service.source().spec() instanceof dev.weft.model.kube.ServiceSpec)) {
          continue;
        }
        Optional<Resource<PeerAuthentication>> strict = strictPolicy(context, service);
        if (strict.isEmpty()) {
          continue;
        }
        String decidedBy = strict.get().namespace() + "/" + strict.get().name();
        check(context, dr, "spec.trafficPolicy.tls.mode", policy.tls(), service.host(), decidedBy);
        List<PortTrafficPolicy> ports = policy.portLevelSettings();
        for (int i = 0; i < ports.size(); i++) {
          check(context, dr, "spec.trafficPolicy.portLevelSettings[" + i + "].tls.mode", ports.get(i).tls(),
              service.host(), decidedBy);
        }
      }
    }
  }

  private static void check(AnalysisContext context, Resource<DestinationRule> dr, String path,
      ClientTLSSettings tls, String host, String policy) {
    if (tls != null && (tls.mode() == ClientTLSMode.DISABLE || tls.mode() == ClientTLSMode.SIMPLE)) {
      context.report(dr, path, MessageType.MTLS_POLICY_CONFLICT, host, dr.namespace() + "/" + dr.name(), false,
          policy, MtlsMode.STRICT);
    }
  }

  /** The PeerAuthentication that makes the service's workloads STRICT, if the deciding one does. */
  private static Optional<Resource<PeerAuthentication>> strictPolicy(AnalysisContext context, MeshService service) {
    List<Resource<PeerAuthentication>> applying = context.snapshot().peerAuthentications().stream()
        .filter(p -> p.namespace().equals(service.namespace()) || p.namespace().equals(ROOT_NAMESPACE))
        .filter(p -> service.selector().entrySet().containsAll(labels(p).entrySet()))
        .sorted(Comparator.comparing((Resource<PeerAuthentication> p) ->
            Optional.ofNullable(p.metadata().creationTimestamp()).orElse(Instant.EPOCH)))
        .toList();
    ComposedPeerAuthentication composed = ComposedPeerAuthentication.compose(applying, ROOT_NAMESPACE);
    return composed.mode() == MtlsMode.STRICT ? composed.decidedBy() : Optional.empty();
  }

  private static Map<String, String> labels(Resource<PeerAuthentication> policy) {
    var selector = policy.spec().selector();
    return selector == null || selector.matchLabels() == null ? Map.of() : selector.matchLabels();
  }
}
