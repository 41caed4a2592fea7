package dev.weft.cli.install;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * What {@code weft install --set key=value} can change, under istioctl's names for the common keys (its
 * IstioOperator paths): the image hub and tag, the control plane's namespace, the replicas and resources of weftd
 * and of the ingress gateway, whether the gateway is installed, and any {@code meshConfig.*} field. Each value is
 * checked here, so a rendered manifest is always well-formed YAML with the types Kubernetes expects.
 */
public final class InstallValues {

  /** A value a key sets: the template placeholder it fills and what the value must look like. */
  private record Slot(String placeholder, Pattern format, String expected) {}

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern HUB = Pattern.compile("[a-z0-9]([a-z0-9._:/-]*[a-z0-9])?");
  private static final Pattern IMAGE = Pattern.compile("[a-z0-9]([a-z0-9._:/@-]*[A-Za-z0-9_])?");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern COUNT = Pattern.compile("0|[1-9][0-9]{0,4}");
  private static final Pattern QUANTITY = Pattern.compile("[0-9]+(\\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?");
  private static final Pattern BOOLEAN = Pattern.compile("true|false");
  private static final Pattern MESH_PATH = Pattern.compile("[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z][A-Za-z0-9]*)*");

  private static final String GATEWAY_ENABLED = "gateway.enabled";
  /** The capture's image; unset, the weft-proxy image of the hub and tag. */
  private static final String PROXY_INIT_IMAGE = "proxyInitImage";
  private static final List<String> PILOT_PREFIXES = List.of("values.pilot.", "components.pilot.k8s.");
  private static final List<String> GATEWAY_PREFIXES =
      List.of("values.gateways.istio-ingressgateway.", "components.ingressGateways[0].k8s.");

  /** Every key {@code --set} takes, in the order {@code weft install --help} lists them. */
  private static final Map<String, Slot> KEYS = keys();

  private final Map<String, String> placeholders;
  private final Map<String, Object> meshConfig;

  private InstallValues(Map<String, String> placeholders, Map<String, Object> meshConfig) {
    this.placeholders = placeholders;
    this.meshConfig = meshConfig;
  }

  private static Map<String, Slot> keys() {
    Map<String, Slot> keys = new LinkedHashMap<>();
    Slot hub = new Slot("hub", HUB, "an image repository such as ghcr.io/weft-mesh");
    Slot tag = new Slot("tag", TAG, "an image tag");
    keys.put("hub", hub);
    keys.put("values.global.hub", hub);
    keys.put("tag", tag);
    keys.put("values.global.tag", tag);
    keys.put("values.global.proxy_init.image", new Slot(PROXY_INIT_IMAGE, IMAGE,
        "an image reference whose entrypoint runs istio-iptables, such as docker.io/istio/proxyv2:1.28.0"));
    keys.put("values.global.istioNamespace", new Slot("namespace", DNS_LABEL, "a namespace name (DNS label)"));
    for (String component : List.of("pilot", "gateway")) {
      for (String prefix : component.equals("pilot") ? PILOT_PREFIXES : GATEWAY_PREFIXES) {
        keys.put(prefix + "replicaCount", new Slot(component + ".replicaCount", COUNT, "a number of replicas"));
        for (String resource : List.of("requests.cpu", "requests.memory", "limits.memory")) {
          keys.put(prefix + "resources." + resource, new Slot(component + ".resources." + resource, QUANTITY,
              "a Kubernetes quantity such as 500m or 2Gi"));
        }
      }
    }
    Slot enabled = new Slot(GATEWAY_ENABLED, BOOLEAN, "true or false");
    keys.put("values.gateways.istio-ingressgateway.enabled", enabled);
    keys.put("components.ingressGateways[0].enabled", enabled);
    return Collections.unmodifiableMap(keys);
  }

  /** Istio's defaults (and the images this build makes), as deploy/kubernetes holds them. */
  public static InstallValues defaults() {
    Properties images = new Properties();
    try (InputStream in = InstallValues.class.getResourceAsStream("defaults.properties")) {
      images.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> placeholders = new LinkedHashMap<>();
    placeholders.put("hub", images.getProperty("hub"));
    placeholders.put("tag", images.getProperty("tag"));
    placeholders.put("namespace", "istio-system");
    placeholders.put("pilot.replicaCount", "1");
    placeholders.put("pilot.resources.requests.cpu", "500m");
    placeholders.put("pilot.resources.requests.memory", "2048Mi");
    placeholders.put("pilot.resources.limits.memory", "2048Mi");
    placeholders.put("gateway.replicaCount", "1");
    placeholders.put("gateway.resources.requests.cpu", "100m");
    placeholders.put("gateway.resources.requests.memory", "256Mi");
    placeholders.put("gateway.resources.limits.memory", "1024Mi");
    placeholders.put(GATEWAY_ENABLED, "true");
    return new InstallValues(placeholders, new LinkedHashMap<>());
  }

  /** The keys {@code --set} accepts besides {@code meshConfig.*}. */
  public static List<String> keyNames() {
    return List.copyOf(KEYS.keySet());
  }

  /**
   * These values with {@code key} set; an {@link IllegalArgumentException} names an unknown key or a value of the
   * wrong form.
   */
  public InstallValues with(String key, String value) {
    if (key.startsWith("meshConfig.")) {
      String path = key.substring("meshConfig.".length());
      if (!MESH_PATH.matcher(path).matches() || value.contains("\n")) {
        throw new IllegalArgumentException("--set " + key + ": a meshConfig key is a dotted path of field names"
            + " (meshConfig.defaultConfig.tracing.sampling) and its value one line");
      }
      Map<String, Object> mesh = new LinkedHashMap<>(meshConfig);
      mesh.put(path, typed(value));
      return new InstallValues(placeholders, mesh);
    }
    Slot slot = KEYS.get(key);
    if (slot == null) {
      throw new IllegalArgumentException("--set " + key + ": unknown key; weft install takes meshConfig.* and "
          + String.join(", ", KEYS.keySet()));
    }
    if (!slot.format().matcher(value).matches()) {
      throw new IllegalArgumentException("--set " + key + "=" + value + ": expected " + slot.expected());
    }
    Map<String, String> changed = new LinkedHashMap<>(placeholders);
    changed.put(slot.placeholder(), value);
    return new InstallValues(changed, meshConfig);
  }

  /** As istioctl reads a {@code --set} value: a boolean, a number, or else a string. */
  private static Object typed(String value) {
    if (BOOLEAN.matcher(value).matches()) {
      return Boolean.valueOf(value);
    }
    if (value.matches("-?(0|[1-9][0-9]{0,17})")) {
      return Long.valueOf(value);
    }
    if (value.matches("-?[0-9]+\\.[0-9]+")) {
      return Double.valueOf(value);
    }
    return value;
  }

  String namespace() {
    return placeholders.get("namespace");
  }

  boolean gatewayEnabled() {
    return Boolean.parseBoolean(placeholders.get(GATEWAY_ENABLED));
  }

  /** The template placeholders these values fill. */
  Map<String, String> placeholders() {
    Map<String, String> filled = new LinkedHashMap<>(placeholders);
    filled.putIfAbsent(PROXY_INIT_IMAGE, placeholders.get("hub") + "/weft-proxy:" + placeholders.get("tag"));
    return Map.copyOf(filled);
  }

  /** The {@code meshConfig.*} values set, by dotted path, in the order given. */
  Map<String, Object> meshConfig() {
    return new LinkedHashMap<>(meshConfig);
  }
}
