package dev.weft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;

/** Reading Envoy's admin {@code /config_dump} JSON, in either field spelling proto3 JSON allows. */
final class ConfigDump {

  private ConfigDump() {
  }

  /** A field in Envoy's snake_case or protobuf JSON's lowerCamelCase, whichever the dump uses. */
  static JsonNode field(JsonNode node, String... names) {
    for (String name : names) {
      if (node.has(name)) {
        return node.get(name);
      }
    }
    return MissingNode.getInstance();
  }

  static List<JsonNode> configsOfType(JsonNode dump, String suffix) {
    List<JsonNode> found = new ArrayList<>();
    field(dump, "configs").forEach(c -> {
      if (c.path("@type").asText().endsWith(suffix)) {
        found.add(c);
      }
    });
    return found;
  }

  static List<JsonNode> clusters(JsonNode dump) {
    List<JsonNode> clusters = new ArrayList<>();
    for (JsonNode config : configsOfType(dump, "ClustersConfigDump")) {
      for (String key : List.of("static_clusters", "staticClusters", "dynamic_active_clusters",
          "dynamicActiveClusters")) {
        field(config, key).forEach(c -> clusters.add(c.path("cluster")));
      }
    }
    return clusters;
  }

  static List<JsonNode> listeners(JsonNode dump) {
    List<JsonNode> listeners = new ArrayList<>();
    for (JsonNode config : configsOfType(dump, "ListenersConfigDump")) {
      field(config, "static_listeners", "staticListeners").forEach(l -> listeners.add(l.path("listener")));
      field(config, "dynamic_listeners", "dynamicListeners").forEach(l ->
          listeners.add(field(field(l, "active_state", "activeState"), "listener")));
    }
    return listeners;
  }

  static List<JsonNode> routeConfigs(JsonNode dump) {
    List<JsonNode> configs = new ArrayList<>();
    for (JsonNode config : configsOfType(dump, "RoutesConfigDump")) {
      for (String key : List.of("static_route_configs", "staticRouteConfigs", "dynamic_route_configs",
          "dynamicRouteConfigs")) {
        field(config, key).forEach(r -> configs.add(field(r, "route_config", "routeConfig")));
      }
    }
    return configs;
  }
}
