package dev.weft.model.validation;

import dev.weft.model.networking.Gateway;
import dev.weft.model.networking.Port;
import dev.weft.model.networking.Server;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Istio's validation rules for Gateway (SEMANTICS §3 and §14). */
final class GatewayValidator {
  private GatewayValidator() {}

  static void validate(Gateway gateway, Findings findings) {
    if (gateway.servers().isEmpty()) {
      findings.warning("spec.servers", "gateway must have at least one server");
    }
    Labels.checkSelector(gateway.selector(), "spec.selector", findings);
    Map<String, Port> portsByName = new HashMap<>();
    for (int i = 0; i < gateway.servers().size(); i++) {
      Server server = gateway.servers().get(i);
      String path = "spec.servers[" + i + "]";
      checkServer(server, path, findings);
      if (server.port() != null && !server.port().name().isEmpty()) {
        checkUniquePortName(server.port(), portsByName.putIfAbsent(server.port().name(), server.port()),
            path + ".port.name", findings);
      }
    }
  }

  /**
   * Istio rejects a repeated port name. Reusing a name for the very same port and protocol (servers split
   * by host) is harmless, so that is only a warning; the same name on another port is an error.
   */
  private static void checkUniquePortName(Port port, Port earlier, String path, Findings findings) {
    if (earlier == null) {
      return;
    }
    String message = "port names in servers must be unique: duplicate name " + port.name();
    if (earlier.number() == port.number() && earlier.protocol().equalsIgnoreCase(port.protocol())) {
      findings.warning(path, message);
    } else {
      findings.error(path, message);
    }
  }

  private static void checkServer(Server server, String path, Findings findings) {
    if (server.hosts().isEmpty()) {
      findings.error(path + ".hosts", "server config must contain at least one host");
    }
    for (int i = 0; i < server.hosts().size(); i++) {
      checkNamespacedHost(server.hosts().get(i), path + ".hosts[" + i + "]", findings);
    }
    Port port = server.port();
    if (port == null) {
      findings.required(path + ".port");
    } else {
      Ports.check(port.number(), path + ".port.number", findings);
      if (port.targetPort() != 0) {
        Ports.check(port.targetPort(), path + ".port.targetPort", findings);
      }
      if (port.protocol().isEmpty()) {
        findings.required(path + ".port.protocol");
      } else {
        Ports.checkProtocol(port.protocol(), path + ".port.protocol", findings);
      }
      if (port.name().isEmpty()) {
        findings.error(path + ".port.name", "Required value: port name must be set");
      }
      String protocol = port.protocol().toUpperCase(Locale.ROOT);
      if ((protocol.equals("HTTPS") || protocol.equals("TLS")) && server.tls() == null) {
        findings.error(path + ".tls", "server must have TLS settings for HTTPS/TLS protocols");
      }
      if (server.tls() != null && server.tls().httpsRedirect() && !protocol.equals("HTTP")) {
        findings.warning(path + ".tls.httpsRedirect", "httpsRedirect only applies to HTTP servers");
      }
    }
    if (!server.bind().isEmpty() && !IpAddresses.isIp(server.bind()) && !server.bind().startsWith("unix://")) {
      findings.error(path + ".bind", "Invalid value: \"" + server.bind() + "\": bind must be an IP address or unix://");
    }
    ServerTls.check(server.tls(), path + ".tls", findings);
  }

  /** {@code [namespace/]dnsName}, where namespace is {@code *}, {@code .} or a name. */
  static void checkNamespacedHost(String host, String path, Findings findings) {
    int slash = host.indexOf('/');
    String namespace = slash < 0 ? "*" : host.substring(0, slash);
    String dnsName = host.substring(slash + 1);
    if (!namespace.equals("*") && !namespace.equals(".") && !DomainNames.isLabel(namespace)) {
      findings.error(path, "invalid namespace value \"" + namespace + "\" in host \"" + host + "\"");
    }
    String problem = DomainNames.checkWildcardDomain(dnsName, false);
    if (problem != null && !IpAddresses.isIp(dnsName)) {
      findings.error(path, problem);
    }
  }
}
