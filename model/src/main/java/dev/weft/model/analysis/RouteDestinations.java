package dev.weft.model.analysis;

import dev.weft.model.networking.Destination;
import dev.weft.model.networking.HTTPRoute;
import dev.weft.model.networking.VirtualService;
import java.util.ArrayList;
import java.util.List;

/** Every destination a VirtualService names, with the field path it was written at. */
final class RouteDestinations {
  private RouteDestinations() {}

  /**
   * One destination; {@code destination} is null when the entry was written empty ({@code - {}}),
   * which Istio treats as a reference to the empty host.
   */
  record Entry(String path, Destination destination, boolean mirror) {
    String host() {
      return destination == null ? "" : destination.host();
    }

    String subset() {
      return destination == null ? "" : destination.subset();
    }

    int port() {
      return destination == null || destination.port() == null ? 0 : destination.port().number();
    }
  }

  static List<Entry> of(VirtualService vs) {
    List<Entry> entries = new ArrayList<>();
    for (int r = 0; r < vs.http().size(); r++) {
      HTTPRoute route = vs.http().get(r);
      String base = "spec.http[" + r + "]";
      for (int d = 0; d < route.route().size(); d++) {
        entries.add(new Entry(base + ".route[" + d + "].destination",
            route.route().get(d).destination(), false));
      }
      if (route.mirror() != null) {
        entries.add(new Entry(base + ".mirror", route.mirror(), true));
      }
      for (int m = 0; m < route.mirrors().size(); m++) {
        entries.add(new Entry(base + ".mirrors[" + m + "].destination",
            route.mirrors().get(m).destination(), true));
      }
    }
    for (int r = 0; r < vs.tcp().size(); r++) {
      var routes = vs.tcp().get(r).route();
      for (int d = 0; d < routes.size(); d++) {
        entries.add(new Entry("spec.tcp[" + r + "].route[" + d + "].destination",
            routes.get(d).destination(), false));
      }
    }
    for (int r = 0; r < vs.tls().size(); r++) {
      var routes = vs.tls().get(r).route();
      for (int d = 0; d < routes.size(); d++) {
        entries.add(new Entry("spec.tls[" + r + "].route[" + d + "].destination",
            routes.get(d).destination(), false));
      }
    }
    return entries;
  }
}
