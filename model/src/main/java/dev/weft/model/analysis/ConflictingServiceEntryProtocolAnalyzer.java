package dev.weft.model.analysis;

import dev.weft.model.Resource;
import dev.weft.model.networking.ServiceEntry;
import dev.weft.model.networking.ServicePort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** One host and port must have one protocol: listeners are built per port and protocol. */
final class ConflictingServiceEntryProtocolAnalyzer implements Analyzer {

  @Override
  public String name() {
    return "serviceentry.ConflictingServiceEntryProtocolAnalyzer";
  }

  private record HostPort(String host, int port) {}

  private record Declaration(Resource<ServiceEntry> entry, String protocol) {}

  @Override
  public void analyze(AnalysisContext context) {
    Map<HostPort, List<Declaration>> declarations = new LinkedHashMap<>();
    for (Resource<ServiceEntry> entry : context.snapshot().serviceEntries()) {
      for (String host : entry.spec().hosts()) {
        for (ServicePort port : entry.spec().ports()) {
          declarations.computeIfAbsent(new HostPort(host, port.number()), k -> new ArrayList<>())
              .add(new Declaration(entry, port.protocol().toUpperCase(Locale.ROOT)));
        }
      }
    }
    declarations.forEach((hostPort, list) -> {
      TreeSet<String> protocols = new TreeSet<>();
      list.forEach(d -> protocols.add(d.protocol()));
      if (protocols.size() < 2) {
        return;
      }
      List<String> names = list.stream()
          .map(d -> d.entry().namespace() + "/" + d.entry().name())
          .distinct()
          .sorted()
          .toList();
      list.stream().map(Declaration::entry).distinct().forEach(entry ->
          context.report(entry, "spec.ports", MessageType.CONFLICTING_SERVICE_ENTRY_PROTOCOL,
              String.join(",", names), hostPort.host(), hostPort.port(), String.join(",", protocols)));
    });
  }
}
