package dev.weft.model.analysis;

import dev.weft.model.Resource;
import dev.weft.model.networking.Gateway;
import dev.weft.model.networking.Server;
import dev.weft.model.networking.ServerTLSSettings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The same certificate on two gateways that serve the same workloads lets an HTTP/2 client reuse one
 * connection for both gateways' hosts and get 404s. A gateway is flagged when its selector is a subset
 * of the other's, that is when every workload the other selects is also its own.
 */
final class GatewayCertificateAnalyzer implements Analyzer {

  @Override
  public String name() {
    return "gateway.CertificateAnalyzer";
  }

  @Override
  public void analyze(AnalysisContext context) {
    List<Resource<Gateway>> gateways = context.snapshot().gateways();
    for (Resource<Gateway> gateway : gateways) {
      Set<String> certificates = certificates(gateway.spec());
      if (certificates.isEmpty()) {
        continue;
      }
      List<String> sharing = new ArrayList<>();
      for (Resource<Gateway> other : gateways) {
        if (other == gateway || !isSubset(gateway.spec().selector(), other.spec().selector())) {
          continue;
        }
        Set<String> theirs = certificates(other.spec());
        if (theirs.stream().anyMatch(certificates::contains)) {
          sharing.add(other.namespace() + "/" + other.name());
        }
      }
      if (!sharing.isEmpty()) {
        List<String> names = new ArrayList<>();
        names.add(gateway.namespace() + "/" + gateway.name());
        names.addAll(sharing);
        context.report(gateway, "spec.servers", MessageType.GATEWAY_DUPLICATE_CERTIFICATE, names);
      }
    }
  }

  private static boolean isSubset(Map<String, String> smaller, Map<String, String> larger) {
    return LabelSets.selects(smaller, larger);
  }

  /** The certificates a gateway serves: credential names, or certificate file paths. */
  private static Set<String> certificates(Gateway gateway) {
    Set<String> certificates = new HashSet<>();
    for (Server server : gateway.servers()) {
      ServerTLSSettings tls = server.tls();
      if (tls == null) {
        continue;
      }
      if (!tls.credentialName().isEmpty()) {
        certificates.add("credential:" + tls.credentialName());
      }
      tls.credentialNames().forEach(name -> certificates.add("credential:" + name));
      if (!tls.serverCertificate().isEmpty()) {
        certificates.add("file:" + tls.serverCertificate() + "|" + tls.privateKey());
      }
    }
    return certificates;
  }
}
