package dev.weft.cli.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Gives the Services of a config file the ClusterIPs a local mesh assigned them (weftd takes a Service's
 * {@code spec.clusterIP} as its address, which Istio's listeners and routes match on). Files without a
 * Service are returned unchanged; others are written back document by document.
 */
final class ClusterIps {

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final String DOMAIN_SUFFIX = ".svc.cluster.local";

  private ClusterIps() {}

  /** {@code text} with {@code spec.clusterIP} of every Service named in {@code byHost} set to its address. */
  static String assign(String text, Map<String, String> byHost) {
    List<JsonNode> documents = new ArrayList<>();
    boolean changed = false;
    try (MappingIterator<JsonNode> read = YAML.readerFor(JsonNode.class).readValues(text)) {
      while (read.hasNextValue()) {
        JsonNode document = read.nextValue();
        if (document != null && document.path("kind").asText().equals("Service")
            && document.path("spec").isObject()) {
          String namespace = document.path("metadata").path("namespace").asText("default");
          String host = document.path("metadata").path("name").asText() + "." + namespace + DOMAIN_SUFFIX;
          String address = byHost.get(host);
          if (address != null) {
            ((ObjectNode) document.get("spec")).put("clusterIP", address);
            changed = true;
          }
        }
        if (document != null && !document.isMissingNode()) {
          documents.add(document);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read config to assign ClusterIPs: " + e.getMessage(), e);
    }
    if (!changed) {
      return text;
    }
    StringBuilder out = new StringBuilder();
    for (JsonNode document : documents) {
      try {
        out.append(YAML.writeValueAsString(document));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write config with ClusterIPs: " + e.getMessage(), e);
      }
    }
    return out.toString();
  }
}
