package dev.weft.model.validation;

import dev.weft.model.networking.ServiceEntry;
import dev.weft.model.networking.WorkloadEntry;

/** Istio's validation rules for WorkloadEntry, also applied to ServiceEntry endpoints. */
final class WorkloadEntryValidator {
  private static final String UNIX = "unix://";

  private WorkloadEntryValidator() {}

  static void validate(WorkloadEntry entry, String path, Findings findings) {
    if (entry.address().isEmpty() && entry.network().isEmpty()) {
      findings.error(path + ".address", "Address is required");
    }
    checkCommon(entry, path, findings);
  }

  /** An endpoint of a ServiceEntry: ports must name ports of the entry. */
  static void checkEndpoint(WorkloadEntry endpoint, ServiceEntry entry, String path, Findings findings) {
    if (endpoint.address().isEmpty() && endpoint.network().isEmpty()) {
      findings.error(path + ".address", "Address is required");
    }
    checkCommon(endpoint, path, findings);
    endpoint.ports().keySet().forEach(name -> {
      if (entry.ports().stream().noneMatch(port -> port.name().equals(name))) {
        findings.error(path + ".ports[" + name + "]", "endpoint port " + name + " is not defined by the service entry");
      }
    });
  }

  private static void checkCommon(WorkloadEntry entry, String path, Findings findings) {
    String address = entry.address();
    if (address.startsWith(UNIX)) {
      String socket = address.substring(UNIX.length());
      if (!socket.startsWith("@") && !socket.startsWith("/")) {
        findings.error(path + ".address", "UDS must be an absolute path or abstract socket");
      } else if (socket.endsWith("/")) {
        findings.error(path + ".address", "UDS may not be a dir");
      }
      if (!entry.ports().isEmpty()) {
        findings.error(path + ".ports", "UDS may not include ports");
      }
    } else if (!address.isEmpty() && !IpAddresses.isIp(address)) {
      String problem = DomainNames.checkDomain(address, address);
      if (problem != null) {
        findings.error(path + ".address", "Invalid value: \"" + address + "\": must be an IP address, a DNS name or"
            + " unix:// socket: " + problem);
      }
    }
    entry.ports().forEach((name, port) -> {
      if (!Ports.isValidName(name)) {
        findings.error(path + ".ports", "Invalid value: \"" + name + "\": port name must consist of alphanumeric"
            + " characters, '-', '_' or '.'");
      }
      Ports.check(port, path + ".ports[" + name + "]", findings);
    });
    Labels.checkLabels(entry.labels(), path + ".labels", findings);
    if (!entry.serviceAccount().isEmpty() && !DomainNames.isSubdomain(entry.serviceAccount())) {
      findings.error(path + ".serviceAccount", "Invalid value: \"" + entry.serviceAccount()
          + "\": must be a service account name");
    }
    if (!entry.locality().isEmpty() && entry.locality().split("/", -1).length > 3) {
      findings.error(path + ".locality", "Invalid value: \"" + entry.locality() + "\": locality must be region/zone/subzone");
    }
    if (entry.weight() < 0) {
      findings.error(path + ".weight", "weight must be >= 0, got " + entry.weight());
    }
  }
}
