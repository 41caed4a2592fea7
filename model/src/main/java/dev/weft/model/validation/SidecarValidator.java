package dev.weft.model.validation;

import dev.weft.model.networking.IstioEgressListener;
import dev.weft.model.networking.IstioIngressListener;
import dev.weft.model.networking.OutboundTrafficMode;
import dev.weft.model.networking.OutboundTrafficPolicy;
import dev.weft.model.networking.ServerTLSMode;
import dev.weft.model.networking.Sidecar;
import dev.weft.model.networking.SidecarPort;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Istio's validation rules for Sidecar (SEMANTICS §5 and §14). */
final class SidecarValidator {
  private static final Pattern DEFAULT_ENDPOINT = Pattern.compile("(127\\.0\\.0\\.1|0\\.0\\.0\\.0|\\[::1\\]|\\[::\\]):(\\d+)");

  private SidecarValidator() {}

  static void validate(Sidecar sidecar, Findings findings) {
    if (sidecar.workloadSelector() != null) {
      Labels.checkSelector(sidecar.workloadSelector().labels(), "spec.workloadSelector.labels", findings);
    }
    Set<String> ingressPorts = new HashSet<>();
    for (int i = 0; i < sidecar.ingress().size(); i++) {
      IstioIngressListener ingress = sidecar.ingress().get(i);
      String path = "spec.ingress[" + i + "]";
      checkIngress(ingress, path, findings);
      if (ingress.port() != null && !ingressPorts.add(ingress.bind() + ":" + ingress.port().number())) {
        findings.error(path + ".port", "sidecar: ingress listeners must have a unique port and bind address");
      }
    }
    Set<String> egressPorts = new HashSet<>();
    for (int i = 0; i < sidecar.egress().size(); i++) {
      IstioEgressListener egress = sidecar.egress().get(i);
      String path = "spec.egress[" + i + "]";
      checkEgress(egress, path, findings);
      if (egress.port() == null) {
        if (i != sidecar.egress().size() - 1) {
          findings.error(path, "sidecar: the egress listener with empty port should be the last listener in the list");
        }
      } else if (!egressPorts.add(egress.bind() + ":" + egress.port().number())) {
        findings.error(path + ".port", "sidecar: egress listeners must have a unique port and bind address");
      }
    }
    ConnectionPools.check(sidecar.inboundConnectionPool(), "spec.inboundConnectionPool", findings);
    checkOutbound(sidecar.outboundTrafficPolicy(), "spec.outboundTrafficPolicy", findings);
  }

  private static void checkIngress(IstioIngressListener ingress, String path, Findings findings) {
    if (ingress.port() == null) {
      findings.error(path + ".port", "Required value: sidecar: ingress listener must have a port");
    } else {
      checkPort(ingress.port(), path + ".port", findings);
    }
    checkBind(ingress.bind(), path + ".bind", findings);
    String endpoint = ingress.defaultEndpoint();
    if (!endpoint.isEmpty() && !endpoint.startsWith("unix://")) {
      Matcher matcher = DEFAULT_ENDPOINT.matcher(endpoint);
      if (!matcher.matches() || matcher.group(2).length() > 5 || !Ports.isValid(Long.parseLong(matcher.group(2)))) {
        findings.error(path + ".defaultEndpoint", "sidecar: defaultEndpoint must be of form 127.0.0.1:<port>,"
            + " 0.0.0.0:<port>, [::1]:<port>, [::]:<port>, unix://filepath, or unset");
      }
    }
    if (ingress.tls() != null) {
      if (ingress.tls().mode() != ServerTLSMode.SIMPLE && ingress.tls().mode() != ServerTLSMode.MUTUAL) {
        findings.error(path + ".tls.mode", "sidecar: only SIMPLE and MUTUAL TLS modes are supported for ingress listeners");
      }
      if (!ingress.tls().credentialName().isEmpty() || !ingress.tls().credentialNames().isEmpty()) {
        findings.error(path + ".tls", "sidecar: credentialName is not supported for ingress listeners");
      }
      ServerTls.check(ingress.tls(), path + ".tls", findings);
    }
    ConnectionPools.check(ingress.connectionPool(), path + ".connectionPool", findings);
  }

  private static void checkEgress(IstioEgressListener egress, String path, Findings findings) {
    if (egress.port() != null) {
      checkPort(egress.port(), path + ".port", findings);
    }
    checkBind(egress.bind(), path + ".bind", findings);
    if (egress.hosts().isEmpty()) {
      findings.error(path + ".hosts", "egress listener must contain at least one host");
    }
    boolean selectsAll = egress.hosts().contains("*/*");
    if (selectsAll && egress.hosts().size() > 1) {
      findings.error(path + ".hosts", "`*/*` host select all resources, no other hosts can be added");
    }
    for (int i = 0; i < egress.hosts().size(); i++) {
      checkEgressHost(egress.hosts().get(i), path + ".hosts[" + i + "]", findings);
    }
  }

  /** {@code namespace/dnsName}, namespace {@code *}, {@code .}, {@code ~} or a name. */
  private static void checkEgressHost(String host, String path, Findings findings) {
    int slash = host.indexOf('/');
    if (slash < 0) {
      findings.error(path, "sidecar: host must be of form namespace/dnsName, got \"" + host + "\"");
      return;
    }
    String namespace = host.substring(0, slash);
    String dnsName = host.substring(slash + 1);
    if (!namespace.equals("*") && !namespace.equals(".") && !namespace.equals("~") && !DomainNames.isLabel(namespace)) {
      findings.error(path, "invalid namespace value \"" + namespace + "\" in host \"" + host + "\"");
    }
    String problem = DomainNames.checkWildcardDomain(dnsName, false);
    if (problem != null) {
      findings.error(path, problem);
    }
  }

  private static void checkPort(SidecarPort port, String path, Findings findings) {
    Ports.check(port.number(), path + ".number", findings);
    Ports.checkProtocol(port.protocol(), path + ".protocol", findings);
    if (port.targetPort() != 0) {
      Ports.check(port.targetPort(), path + ".targetPort", findings);
    }
  }

  private static void checkBind(String bind, String path, Findings findings) {
    if (!bind.isEmpty() && !IpAddresses.isIp(bind) && !bind.startsWith("unix://")) {
      findings.error(path, "Invalid value: \"" + bind + "\": bind must be an IP address or unix://");
    }
  }

  private static void checkOutbound(OutboundTrafficPolicy policy, String path, Findings findings) {
    if (policy == null) {
      return;
    }
    if (policy.mode() == OutboundTrafficMode.ALLOW_ANY_DYNAMIC_DNS) {
      findings.error(path + ".mode", "ALLOW_ANY_DYNAMIC_DNS mode is only supported in MeshConfig");
    }
    if (policy.egressProxy() != null) {
      if (policy.mode() != OutboundTrafficMode.ALLOW_ANY) {
        findings.error(path + ".egressProxy", "sidecar: egressProxy must be set only with ALLOW_ANY outboundTrafficPolicy mode");
      }
      VirtualServiceValidator.checkDestination(policy.egressProxy(), path + ".egressProxy", findings);
      if (policy.egressProxy().port() == null) {
        findings.error(path + ".egressProxy.port", "Required value: sidecar: egressProxy must have a port");
      }
    }
  }
}
