package dev.weft.model.analysis;

import dev.weft.model.Resource;
import dev.weft.model.networking.ServiceEntry;
import dev.weft.model.networking.ServicePort;

/**
 * Without addresses, TCP traffic to a ServiceEntry can only be told apart by port, so a port that is
 * TCP (or has no protocol, which means TCP) needs addresses.
 */
final class ServiceEntryProtocolAddressesAnalyzer implements Analyzer {

  @Override
  public String name() {
    return "serviceentry.ProtocolAddressesAnalyzer";
  }

  @Override
  public void analyze(AnalysisContext context) {
    for (Resource<ServiceEntry> entry : context.snapshot().serviceEntries()) {
      if (!entry.spec().addresses().isEmpty()) {
        continue;
      }
      for (int i = 0; i < entry.spec().ports().size(); i++) {
        ServicePort port = entry.spec().ports().get(i);
        if (port.protocol().isEmpty() || port.protocol().equalsIgnoreCase("TCP")) {
          context.report(entry, "spec.ports[" + i + "]", MessageType.SERVICE_ENTRY_ADDRESSES_REQUIRED);
          break;
        }
      }
    }
  }
}
