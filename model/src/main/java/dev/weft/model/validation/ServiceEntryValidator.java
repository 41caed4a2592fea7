package dev.weft.model.validation;

import dev.weft.model.networking.Resolution;
import dev.weft.model.networking.ServiceEntry;
import dev.weft.model.networking.ServicePort;
import dev.weft.model.networking.WorkloadEntry;
import java.util.HashSet;
import java.util.Set;

/** Istio's validation rules for ServiceEntry (SEMANTICS §4 and §14, CRD schema rules). */
final class ServiceEntryValidator {
  private static final int MAX_HOSTS = 256;
  private static final int MAX_ADDRESSES = 256;

  private ServiceEntryValidator() {}

  static void validate(ServiceEntry entry, Findings findings) {
    checkHosts(entry, findings);
    checkAddresses(entry, findings);
    checkPorts(entry, findings);
    if (entry.workloadSelector() != null) {
      Labels.checkSelector(entry.workloadSelector().labels(), "spec.workloadSelector.labels", findings);
      if (!entry.endpoints().isEmpty()) {
        findings.error("spec", "only one of WorkloadSelector or Endpoints can be set");
      }
    }
    checkResolution(entry, findings);
    ExportTo.check(entry.exportTo(), true, "spec.exportTo", findings);
    for (int i = 0; i < entry.subjectAltNames().size(); i++) {
      if (entry.subjectAltNames().get(i).isEmpty()) {
        findings.error("spec.subjectAltNames[" + i + "]", "Invalid value: \"\": spec.subjectAltNames[" + i
            + "] in body should be at least 1 chars long");
      }
    }
  }

  private static void checkHosts(ServiceEntry entry, Findings findings) {
    if (entry.hosts().isEmpty()) {
      findings.required("spec.hosts");
    }
    if (entry.hosts().size() > MAX_HOSTS) {
      findings.error("spec.hosts", "Too many: " + entry.hosts().size() + ": must have at most " + MAX_HOSTS + " items");
    }
    for (int i = 0; i < entry.hosts().size(); i++) {
      String host = entry.hosts().get(i);
      String path = "spec.hosts[" + i + "]";
      if (host.equals("*")) {
        findings.error(path, "hostname cannot be wildcard");
        continue;
      }
      String problem = DomainNames.checkWildcardDomain(host, true);
      if (problem != null) {
        findings.error(path, problem);
      }
    }
  }

  private static void checkAddresses(ServiceEntry entry, Findings findings) {
    if (entry.addresses().size() > MAX_ADDRESSES) {
      findings.error("spec.addresses", "Too many: " + entry.addresses().size() + ": must have at most "
          + MAX_ADDRESSES + " items");
    }
    boolean cidrAllowed = entry.resolution() == Resolution.NONE || entry.resolution() == Resolution.STATIC;
    for (int i = 0; i < entry.addresses().size(); i++) {
      String address = entry.addresses().get(i);
      String path = "spec.addresses[" + i + "]";
      if (IpAddresses.isCidr(address)) {
        if (!cidrAllowed) {
          findings.error(path, "CIDR addresses are allowed only for NONE/STATIC resolution types");
        }
      } else if (!IpAddresses.isIp(address)) {
        findings.error(path, "Invalid value: \"" + address + "\": invalid address, must be an IP address or CIDR block");
      }
    }
  }

  private static void checkPorts(ServiceEntry entry, Findings findings) {
    Set<String> names = new HashSet<>();
    Set<Integer> numbers = new HashSet<>();
    for (int i = 0; i < entry.ports().size(); i++) {
      ServicePort port = entry.ports().get(i);
      String path = "spec.ports[" + i + "]";
      Ports.check(port.number(), path + ".number", findings);
      if (port.targetPort() != 0) {
        Ports.check(port.targetPort(), path + ".targetPort", findings);
      }
      if (port.name().isEmpty()) {
        findings.required(path + ".name");
      } else if (!names.add(port.name())) {
        findings.error(path + ".name", "Duplicate value: \"" + port.name() + "\"");
      }
      if (!numbers.add(port.number())) {
        findings.error(path + ".number", "port number cannot be duplicated: " + port.number());
      }
      Ports.checkProtocol(port.protocol(), path + ".protocol", findings);
    }
  }

  private static void checkResolution(ServiceEntry entry, Findings findings) {
    switch (entry.resolution()) {
      case NONE -> {
        if (!entry.endpoints().isEmpty()) {
          findings.error("spec.endpoints", "NONE mode cannot set endpoints");
        }
      }
      case DNS_ROUND_ROBIN -> {
        if (entry.endpoints().size() > 1) {
          findings.error("spec.endpoints", "DNS_ROUND_ROBIN mode cannot have multiple endpoints");
        }
        checkDnsHosts(entry, findings);
      }
      case DNS -> checkDnsHosts(entry, findings);
      case DYNAMIC_DNS -> {
        for (int i = 0; i < entry.hosts().size(); i++) {
          if (!entry.hosts().get(i).startsWith("*")) {
            findings.error("spec.hosts[" + i + "]", "DYNAMIC_DNS resolution requires wildcard hosts");
          }
        }
      }
      case STATIC -> {
        for (int i = 0; i < entry.endpoints().size(); i++) {
          String address = entry.endpoints().get(i).address();
          if (!address.isEmpty() && !IpAddresses.isIp(address) && !address.startsWith("unix://")) {
            findings.error("spec.endpoints[" + i + "].address", "Invalid value: \"" + address
                + "\": STATIC resolution requires IP addresses or unix:// endpoints");
          }
        }
      }
    }
    for (int i = 0; i < entry.endpoints().size(); i++) {
      WorkloadEntry endpoint = entry.endpoints().get(i);
      WorkloadEntryValidator.checkEndpoint(endpoint, entry, "spec.endpoints[" + i + "]", findings);
    }
  }

  /** DNS resolves the hosts themselves when there are no endpoints, which a wildcard cannot be. */
  private static void checkDnsHosts(ServiceEntry entry, Findings findings) {
    if (!entry.endpoints().isEmpty()) {
      return;
    }
    for (int i = 0; i < entry.hosts().size(); i++) {
      if (entry.hosts().get(i).startsWith("*")) {
        findings.warning("spec.hosts[" + i + "]", "wildcard host " + entry.hosts().get(i)
            + " is not allowed with DNS resolution when there are no endpoints");
      }
    }
  }
}
