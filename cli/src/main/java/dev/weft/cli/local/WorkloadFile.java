package dev.weft.cli.local;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.weft.model.Kind;
import dev.weft.model.Resource;
import dev.weft.model.kube.Container;
import dev.weft.model.kube.ContainerPort;
import dev.weft.model.kube.DeploymentSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads {@code weft-workloads.yaml}: the processes of a local mesh. A workload may name a Deployment of
 * the same directory ({@code deployment: reviews-v2}) to take its namespace, service account, pod labels
 * and container ports from it; fields written in the workload win. Every problem is reported as a message
 * naming the workload and field; nothing is thrown.
 */
public final class WorkloadFile {

  public static final String FILE_NAME = "weft-workloads.yaml";

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Set<String> TOP_FIELDS = Set.of("apiVersion", "kind", "metadata", "workloads");
  private static final Set<String> WORKLOAD_FIELDS = Set.of(
      "name", "deployment", "namespace", "serviceAccount", "labels", "ports", "main", "args", "command", "env",
      "health", "job");

  /** The workloads read, or why they could not be. */
  public record Result(List<WorkloadSpec> workloads, List<String> errors) {
    public Result {
      workloads = List.copyOf(workloads);
      errors = List.copyOf(errors);
    }
  }

  private WorkloadFile() {}

  /**
   * @param source the file name for messages
   * @param deployments the Deployments loaded from the same directory, for {@code deployment:} references
   */
  public static Result parse(String text, String source, List<Resource<?>> deployments) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(text);
    } catch (JacksonException e) {
      return new Result(List.of(), List.of(source + ": not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")")));
    }
    if (root == null || !root.isObject()) {
      return new Result(List.of(), List.of(source + ": must be a mapping with a \"workloads\" list"));
    }
    List<String> errors = new ArrayList<>();
    unknownFields(root, TOP_FIELDS, source, errors);
    JsonNode list = root.path("workloads");
    if (!list.isArray() || list.isEmpty()) {
      errors.add(source + ": \"workloads\" must be a non-empty list");
      return new Result(List.of(), errors);
    }
    List<WorkloadSpec> workloads = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String where = source + ": workloads[" + i + "]";
      JsonNode node = list.get(i);
      if (!node.isObject()) {
        errors.add(where + ": must be a mapping");
        continue;
      }
      String name = node.path("name").asText("");
      if (!name.isEmpty()) {
        where = source + ": workload \"" + name + "\"";
      }
      int before = errors.size();
      WorkloadSpec spec = workload(node, where, deployments, errors);
      if (spec != null && !names.add(spec.namespace() + "/" + spec.name())) {
        errors.add(where + ": name is used twice in namespace " + spec.namespace());
      }
      if (spec != null && errors.size() == before) {
        workloads.add(spec);
      }
    }
    return new Result(errors.isEmpty() ? workloads : List.of(), errors);
  }

  private static WorkloadSpec workload(JsonNode node, String where, List<Resource<?>> deployments,
      List<String> errors) {
    unknownFields(node, WORKLOAD_FIELDS, where, errors);
    String name = text(node, "name", where, errors).orElse("");
    if (name.isEmpty()) {
      errors.add(where + ": \"name\" is required");
      return null;
    }
    if (!DNS_LABEL.matcher(name).matches()) {
      errors.add(where + ": name must be a DNS label (lower case letters, digits and '-', at most 63)");
    }
    Optional<Resource<DeploymentSpec>> deployment = Optional.empty();
    Optional<String> deploymentName = text(node, "deployment", where, errors);
    if (deploymentName.isPresent()) {
      String namespaceHint = text(node, "namespace", where, errors).orElse(null);
      deployment = deployments.stream()
          .filter(r -> r.kind() == Kind.DEPLOYMENT && r.name().equals(deploymentName.get()))
          .filter(r -> namespaceHint == null || r.namespace().equals(namespaceHint))
          .map(r -> r.as(DeploymentSpec.class))
          .findFirst();
      if (deployment.isEmpty()) {
        errors.add(where + ": deployment \"" + deploymentName.get() + "\" is not in this directory");
      }
    }
    String namespace = text(node, "namespace", where, errors)
        .or(() -> deploymentNamespace(deploymentName, deployments)).orElse("default");
    String serviceAccount = text(node, "serviceAccount", where, errors)
        .or(() -> deploymentServiceAccount(deploymentName, deployments)).orElse("default");
    Map<String, String> labels = new TreeMap<>();
    deployment.map(d -> d.spec().template()).map(t -> t.metadata()).map(m -> m.labels())
        .ifPresent(labels::putAll);
    labels.putAll(stringMap(node, "labels", where, errors));
    List<Integer> ports = node.has("ports")
        ? ports(node.get("ports"), where, errors)
        : deployment.map(WorkloadFile::containerPorts).orElse(List.of());
    Map<String, String> env = stringMap(node, "env", where, errors);
    WorkloadSpec.Launch launch = launch(node, where, errors);
    Optional<String> health = text(node, "health", where, errors);
    if (health.isPresent() && !health.get().startsWith("/")) {
      errors.add(where + ": health must be an HTTP path starting with '/'");
    }
    boolean job = false;
    if (node.has("job")) {
      if (!node.get("job").isBoolean()) {
        errors.add(where + ": job must be true or false");
      } else {
        job = node.get("job").asBoolean();
      }
    }
    if (ports.size() > AddressPlan.MAX_PORTS) {
      errors.add(where + ": at most " + AddressPlan.MAX_PORTS + " ports (its sidecar's inbound ports are 15006-15020)");
    }
    // No port: a client only (Istio's sleep and curl samples), ready once started; a job if it runs to completion.
    if (ports.isEmpty() && health.isPresent()) {
      errors.add(where + ": health needs a port to probe (this workload has none)");
    }
    return launch == null ? null
        : new WorkloadSpec(name, namespace, serviceAccount, labels, ports, launch, env, health, job);
  }

  private static Optional<String> deploymentNamespace(Optional<String> name, List<Resource<?>> deployments) {
    return name.flatMap(n -> deployments.stream()
        .filter(r -> r.kind() == Kind.DEPLOYMENT && r.name().equals(n)).map(Resource::namespace).findFirst());
  }

  private static Optional<String> deploymentServiceAccount(Optional<String> name, List<Resource<?>> deployments) {
    return name.flatMap(n -> deployments.stream()
        .filter(r -> r.kind() == Kind.DEPLOYMENT && r.name().equals(n))
        .map(r -> r.as(DeploymentSpec.class).spec().template())
        .filter(t -> t != null && t.spec() != null)
        .map(t -> t.spec().serviceAccountName() != null ? t.spec().serviceAccountName() : t.spec().serviceAccount())
        .filter(sa -> sa != null && !sa.isEmpty())
        .findFirst());
  }

  private static List<Integer> containerPorts(Resource<DeploymentSpec> deployment) {
    var template = deployment.spec().template();
    if (template == null || template.spec() == null || template.spec().containers() == null) {
      return List.of();
    }
    List<Integer> ports = new ArrayList<>();
    for (Container container : template.spec().containers()) {
      if (container.ports() != null) {
        container.ports().stream().map(ContainerPort::containerPort).filter(p -> !ports.contains(p))
            .forEach(ports::add);
      }
    }
    return ports;
  }

  private static WorkloadSpec.Launch launch(JsonNode node, String where, List<String> errors) {
    boolean hasMain = node.has("main");
    boolean hasCommand = node.has("command");
    if (hasMain == hasCommand) {
      errors.add(where + ": give exactly one of \"main\" (a Java main class run on weft's class path)"
          + " or \"command\" (an executable and its arguments)");
      return null;
    }
    if (hasMain) {
      Optional<String> main = text(node, "main", where, errors);
      List<String> args = node.has("args") ? strings(node.get("args"), where + ": args", errors) : List.of();
      return main.map(m -> new WorkloadSpec.JavaMain(m, args)).orElse(null);
    }
    if (node.has("args")) {
      errors.add(where + ": \"args\" goes with \"main\"; put a command's arguments in \"command\"");
    }
    List<String> command = strings(node.get("command"), where + ": command", errors);
    if (command.isEmpty()) {
      errors.add(where + ": command must not be empty");
      return null;
    }
    return new WorkloadSpec.Executable(command);
  }

  private static List<Integer> ports(JsonNode node, String where, List<String> errors) {
    List<Integer> ports = new ArrayList<>();
    if (!node.isArray()) {
      errors.add(where + ": ports must be a list of port numbers");
      return ports;
    }
    for (JsonNode port : node) {
      if (!port.isInt() || port.asInt() < 1 || port.asInt() > 65535) {
        errors.add(where + ": port " + port + " is not a port number (1-65535)");
      } else if (!ports.contains(port.asInt())) {
        ports.add(port.asInt());
      }
    }
    return ports;
  }

  private static Optional<String> text(JsonNode node, String field, String where, List<String> errors) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual() || value.asText().isEmpty()) {
      errors.add(where + ": " + field + " must be a non-empty string");
      return Optional.empty();
    }
    return Optional.of(value.asText());
  }

  private static List<String> strings(JsonNode node, String where, List<String> errors) {
    List<String> out = new ArrayList<>();
    if (!node.isArray()) {
      errors.add(where + " must be a list of strings");
      return out;
    }
    for (JsonNode item : node) {
      if (!item.isValueNode() || item.isNull()) {
        errors.add(where + ": " + item + " is not a string");
      } else {
        out.add(item.asText());
      }
    }
    return out;
  }

  private static Map<String, String> stringMap(JsonNode node, String field, String where, List<String> errors) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return out;
    }
    if (!value.isObject()) {
      errors.add(where + ": " + field + " must be a mapping of names to strings");
      return out;
    }
    value.properties().forEach(e -> {
      if (!e.getValue().isValueNode() || e.getValue().isNull()) {
        errors.add(where + ": " + field + "." + e.getKey() + " must be a string");
      } else {
        out.put(e.getKey(), e.getValue().asText());
      }
    });
    return out;
  }

  private static void unknownFields(JsonNode node, Set<String> known, String where, List<String> errors) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
      String field = it.next();
      if (!known.contains(field)) {
        errors.add(where + ": unknown field \"" + field + "\" (known: "
            + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    }
  }
}
