package dev.weft.model.analysis;

import dev.weft.model.ConfigSnapshot;
import dev.weft.model.Resource;
import dev.weft.model.kube.ServiceSpec;
import dev.weft.model.networking.ServiceEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The services analyzers resolve hosts against: Kubernetes Services (as {@code name.ns.svc.<suffix>})
 * and ServiceEntry hosts, each with its ports, selector and visibility.
 */
public final class MeshServices {
  static final String EXPORT_TO_ANNOTATION = "networking.istio.io/exportTo";

  /** A host known to the mesh; {@code ports} maps port number to protocol (empty when undeclared). */
  public record MeshService(
      String host,
      String namespace,
      Map<Integer, String> ports,
      Map<String, String> selector,
      ExportScope exportTo,
      Resource<?> source) {}

  private final List<MeshService> services;

  MeshServices(ConfigSnapshot snapshot, String domainSuffix) {
    List<MeshService> all = new ArrayList<>();
    for (Resource<ServiceSpec> service : snapshot.services()) {
      Map<Integer, String> ports = new java.util.TreeMap<>();
      service.spec().ports().forEach(port -> ports.put(port.port(), port.protocol()));
      all.add(new MeshService(
          service.name() + "." + service.namespace() + ".svc." + domainSuffix,
          service.namespace(),
          Map.copyOf(ports),
          service.spec().selector(),
          ExportScope.ofAnnotation(service.metadata().annotations().get(EXPORT_TO_ANNOTATION),
              service.namespace()),
          service));
    }
    for (Resource<ServiceEntry> entry : snapshot.serviceEntries()) {
      ServiceEntry spec = entry.spec();
      Map<Integer, String> ports = new java.util.TreeMap<>();
      spec.ports().forEach(port -> ports.put(port.number(), port.protocol()));
      Map<String, String> selector =
          spec.workloadSelector() == null ? Map.of() : spec.workloadSelector().labels();
      for (String host : spec.hosts()) {
        all.add(new MeshService(host, entry.namespace(), Map.copyOf(ports), selector,
            ExportScope.of(spec.exportTo(), entry.namespace()), entry));
      }
    }
    this.services = List.copyOf(all);
  }

  /** The services whose host covers {@code host} and that are visible in {@code namespace}. */
  public List<MeshService> visible(String host, String namespace) {
    return services.stream()
        .filter(service -> HostPatterns.covers(service.host(), host))
        .filter(service -> service.exportTo().visibleIn(namespace))
        .toList();
  }

  /** Every service whose host covers {@code host}, wherever it is visible. */
  public List<MeshService> matching(String host) {
    return services.stream().filter(service -> HostPatterns.covers(service.host(), host)).toList();
  }
}
