package dev.weft.cli.install;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The install manifests, rendered from the templates beside this class ({@code {{placeholder}}} filled from
 * {@link InstallValues}; no logic in the templates) and Istio's CRDs, copied verbatim. With the default values the
 * result is deploy/kubernetes, file for file.
 */
public final class InstallManifests {

  /** Istio's CRDs (deploy/kubernetes/crd-all.gen.yaml, packaged beside the templates by the build). */
  public static final String CRDS = "crd-all.gen.yaml";
  private static final String GATEWAY = "ingress-gateway.yaml";
  /** deploy/kubernetes's files in kustomization.yaml's order: CRDs first, the namespace before what it holds. */
  public static final List<String> FILES = List.of(CRDS, "namespace.yaml", "weftd.yaml", "webhooks.yaml", GATEWAY);

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z.]+)}}");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

  /** One file of the install. */
  public record Manifest(String file, String yaml) {}

  private InstallManifests() {}

  /** The install's files for these values, in the order they are applied; the gateway's only when enabled. */
  public static List<Manifest> render(InstallValues values) {
    Map<String, String> placeholders = new LinkedHashMap<>(values.placeholders());
    placeholders.put("meshConfig", meshConfig(values).lines().map(line -> "    " + line)
        .collect(Collectors.joining("\n")));
    List<Manifest> manifests = new ArrayList<>();
    for (String file : FILES) {
      if (file.equals(GATEWAY) && !values.gatewayEnabled()) {
        continue;
      }
      String text = template(file);
      manifests.add(new Manifest(file, file.equals(CRDS) ? text : fill(file, text, placeholders)));
    }
    return manifests;
  }

  /** Every file as one multi-document YAML stream, as {@code weft install --dry-run} prints it. */
  public static String yaml(InstallValues values) {
    return render(values).stream().map(Manifest::yaml).collect(Collectors.joining("---\n"));
  }

  private static String fill(String file, String template, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalStateException(file + ": no value for {{" + m.group(1) + "}}");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * Istio's mesh config as its chart writes it for this namespace (istiod's address, the root namespace, the trust
   * domain), with the {@code meshConfig.*} values laid over it.
   */
  private static String meshConfig(InstallValues values) {
    Map<String, Object> mesh = new LinkedHashMap<>();
    mesh.put("defaultConfig", new LinkedHashMap<>(Map.of(
        "discoveryAddress", "istiod." + values.namespace() + ".svc:15012")));
    mesh.put("rootNamespace", values.namespace());
    mesh.put("trustDomain", "cluster.local");
    values.meshConfig().forEach((path, value) -> put(mesh, path, value));
    try {
      return YAML.writeValueAsString(mesh);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("maps of strings, numbers and booleans always serialise", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static void put(Map<String, Object> mesh, String path, Object value) {
    String[] fields = path.split("\\.");
    Map<String, Object> at = mesh;
    for (int i = 0; i < fields.length - 1; i++) {
      Object next = at.computeIfAbsent(fields[i], f -> new LinkedHashMap<String, Object>());
      if (!(next instanceof Map<?, ?>)) {
        throw new IllegalArgumentException("--set meshConfig." + path + ": meshConfig."
            + String.join(".", List.of(fields).subList(0, i + 1)) + " is a value, not an object");
      }
      at = (Map<String, Object>) next;
    }
    at.put(fields[fields.length - 1], value);
  }

  private static String template(String file) {
    try (InputStream in = InstallManifests.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException(file + " is not packaged with weft");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
