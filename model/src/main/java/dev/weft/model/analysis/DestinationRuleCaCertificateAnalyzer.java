package dev.weft.model.analysis;

import dev.weft.model.Resource;
import dev.weft.model.networking.ClientTLSMode;
import dev.weft.model.networking.ClientTLSSettings;
import dev.weft.model.networking.DestinationRule;
import dev.weft.model.networking.PortTrafficPolicy;
import dev.weft.model.networking.TrafficPolicy;
import java.util.List;

/** SIMPLE or MUTUAL TLS origination without CA certificates cannot verify who the server is. */
final class DestinationRuleCaCertificateAnalyzer implements Analyzer {

  @Override
  public String name() {
    return "destinationrule.CaCertificateAnalyzer";
  }

  @Override
  public void analyze(AnalysisContext context) {
    for (Resource<DestinationRule> dr : context.snapshot().destinationRules()) {
      TrafficPolicy policy = dr.spec().trafficPolicy();
      if (policy == null) {
        continue;
      }
      if (unverified(policy.tls())) {
        context.report(dr, "spec.trafficPolicy.tls.mode",
            MessageType.NO_SERVER_CERTIFICATE_VERIFICATION_DESTINATION_LEVEL, dr.name(), dr.namespace(),
            policy.tls().mode(), dr.spec().host());
      }
      List<PortTrafficPolicy> ports = policy.portLevelSettings();
      for (int i = 0; i < ports.size(); i++) {
        PortTrafficPolicy port = ports.get(i);
        if (unverified(port.tls())) {
          context.report(dr, "spec.trafficPolicy.portLevelSettings[" + i + "].tls.mode",
              MessageType.NO_SERVER_CERTIFICATE_VERIFICATION_PORT_LEVEL, dr.name(), dr.namespace(),
              port.tls().mode(), dr.spec().host(), port.port() == null ? 0 : port.port().number());
        }
      }
    }
  }

  private static boolean unverified(ClientTLSSettings tls) {
    return tls != null
        && (tls.mode() == ClientTLSMode.SIMPLE || tls.mode() == ClientTLSMode.MUTUAL)
        && tls.caCertificates().isEmpty()
        && tls.credentialName().isEmpty()
        && !Boolean.TRUE.equals(tls.insecureSkipVerify());
  }
}
