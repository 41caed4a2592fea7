package dev.weft.cli.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What makes a local mesh send its spans to the Zipkin {@code weft up --with-observability} runs, as Istio's
 * Zipkin task does: the mesh config gains a zipkin extension provider named {@value #PROVIDER}, made the default
 * tracing provider, with 100% sampling unless the mesh config chose a rate; and a ServiceEntry makes the provider's
 * host, Istio's {@value #HOST}, resolve to where Zipkin listens.
 */
public final class TracingConfig {

  static final String PROVIDER = "zipkin";
  static final String HOST = "zipkin.istio-system.svc.cluster.local";
  static final int PORT = 9411;
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

  private TracingConfig() {}

  /** The user's mesh config ({@code ""} for none) with Zipkin as the default tracer; a provider of that name is replaced. */
  public static String meshConfig(String userMeshConfig) {
    ObjectNode mesh;
    try {
      JsonNode read = YAML.readTree(userMeshConfig);
      mesh = read instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode();
    } catch (IOException e) {
      throw new UncheckedIOException("the mesh config is not YAML: " + e.getMessage(), e);
    }
    ArrayNode providers = JsonNodeFactory.instance.arrayNode();
    mesh.path("extensionProviders").forEach(p -> {
      if (!p.path("name").asText().equals(PROVIDER)) {
        providers.add(p);
      }
    });
    ObjectNode zipkin = providers.addObject().put("name", PROVIDER).putObject("zipkin");
    zipkin.put("service", HOST).put("port", PORT);
    mesh.set("extensionProviders", providers);
    ObjectNode defaults = mesh.path("defaultProviders") instanceof ObjectNode d ? d : mesh.putObject("defaultProviders");
    defaults.putArray("tracing").add(PROVIDER);
    ObjectNode config = mesh.path("defaultConfig") instanceof ObjectNode c ? c : mesh.putObject("defaultConfig");
    ObjectNode tracing = config.path("tracing") instanceof ObjectNode t ? t : config.putObject("tracing");
    if (!tracing.has("sampling")) {
      tracing.put("sampling", 100);
    }
    try {
      return "# Written by weft up --with-observability: the mesh's own mesh config with Zipkin as its tracer.\n"
          + YAML.writeValueAsString(mesh);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The ServiceEntry that sends the provider's host to Zipkin at {@code address:port}. */
  public static String serviceEntry(String address, int port) {
    return """
        # Written by weft up --with-observability: the Zipkin of this mesh, where every proxy reports its spans.
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: zipkin, namespace: istio-system}
        spec:
          hosts: [%s]
          location: MESH_EXTERNAL
          ports: [{number: %d, name: http-query, protocol: HTTP}]
          resolution: STATIC
          endpoints: [{address: %s, ports: {http-query: %d}}]
        """.formatted(HOST, PORT, address, port);
  }
}
