package dev.weft.model.load;

import dev.weft.model.ConfigError;
import dev.weft.model.EchoedValue;
import dev.weft.model.Kind;
import dev.weft.model.ObjectMeta;
import dev.weft.model.Origin;
import dev.weft.model.Resource;
import dev.weft.model.ResourceKey;
import dev.weft.model.Severity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Turns one document's node tree into a typed {@link Resource}, or into errors saying why not. */
final class DocumentBinder {
  /** Kinds whose CRD schema requires a spec; for the others a missing spec means an empty one. */
  private static final Set<Kind> SPEC_REQUIRED = Set.of(Kind.SERVICE_ENTRY, Kind.WORKLOAD_ENTRY);
  /** Real Istio kinds that Weft does not implement: ignored with a warning, unlike misspelt kinds. */
  private static final Set<String> UNSUPPORTED_ISTIO_KINDS =
      Set.of("EnvoyFilter", "ProxyConfig", "WasmPlugin", "IstioOperator");
  private static final Set<String> ENVELOPE = Set.of("apiVersion", "kind", "metadata", "spec", "status");

  /** The resource when it bound, and every finding about the document. */
  record Bound(Optional<Resource<?>> resource, List<ConfigError> errors) {}

  private final LoadOptions options;

  DocumentBinder(LoadOptions options) {
    this.options = options;
  }

  /** The kind, namespace and name of a document; its body was not read. */
  record Identified(Optional<ResourceKey> key, List<ConfigError> errors) {}

  /** A document's envelope, when it names a kind Weft reads. */
  private record Header(MappingNode mapping, Map<String, Node> top, Kind kind, String apiVersion, int line) {}

  Bound bind(String source, List<String> sourceLines, Node root) {
    List<ConfigError> errors = new ArrayList<>();
    Optional<Header> header = header(source, root, errors);
    if (header.isEmpty()) {
      return new Bound(Optional.empty(), errors);
    }
    Header h = header.get();
    Binder binder = new Binder(options.domainSuffix(), options.limits(), sourceLines);
    try {
      return bindKind(source, h.mapping(), h.top(), h.kind(), h.apiVersion(), binder);
    } catch (Binder.BudgetExceeded e) {
      errors.addAll(partialErrors(source, h, binder, e));
      return new Bound(Optional.empty(), errors);
    }
  }

  /**
   * What {@code kubectl delete -f} reads of a document: its kind and metadata, not its body, so deleting with the
   * file that applied a large resource costs little.
   */
  Identified identify(String source, List<String> sourceLines, Node root) {
    List<ConfigError> errors = new ArrayList<>();
    Optional<Header> header = header(source, root, errors);
    if (header.isEmpty()) {
      return new Identified(Optional.empty(), errors);
    }
    Header h = header.get();
    Binder binder = new Binder(options.domainSuffix(), options.limits(), sourceLines);
    try {
      ObjectMeta metadata = bindMetadata(h.top().get("metadata"), h.kind(), binder);
      if (!binder.problems().isEmpty()) {
        errors.addAll(partialErrors(source, h, binder, null));
        return new Identified(Optional.empty(), errors);
      }
      return new Identified(Optional.of(new ResourceKey(h.kind(), metadata.namespace(), metadata.name())), errors);
    } catch (Binder.BudgetExceeded e) {
      errors.addAll(partialErrors(source, h, binder, e));
      return new Identified(Optional.empty(), errors);
    }
  }

  private Optional<Header> header(String source, Node root, List<ConfigError> errors) {
    int line = Binder.positionOf(root).line();
    if (!(root instanceof MappingNode mapping)) {
      errors.add(new ConfigError(Severity.ERROR, source, line, "", "",
          "document must be a mapping with apiVersion, kind, metadata and spec, not a "
              + Binder.nodeTypeName(root)));
      return Optional.empty();
    }
    Map<String, Node> top = new HashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      top.putIfAbsent(Binder.keyText(tuple.getKeyNode()), tuple.getValueNode());
    }
    String apiVersion = scalar(top.get("apiVersion"));
    String kindName = scalar(top.get("kind"));
    if (apiVersion.isEmpty() || kindName.isEmpty()) {
      String missing = apiVersion.isEmpty() ? "apiVersion" : "kind";
      errors.add(new ConfigError(Severity.ERROR, source, line, "", missing, "Required value"));
      return Optional.empty();
    }
    int slash = apiVersion.lastIndexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = apiVersion.substring(slash + 1);
    Optional<Kind> found = Kind.find(group, kindName);
    if (found.isEmpty()) {
      boolean typo = group.endsWith("istio.io") && !UNSUPPORTED_ISTIO_KINDS.contains(kindName);
      String kindText = EchoedValue.of(kindName);
      String versionText = EchoedValue.of(apiVersion);
      errors.add(new ConfigError(typo ? Severity.ERROR : Severity.WARNING, source, line, "", "kind",
          typo
              ? "unknown kind \"" + kindText + "\" in apiVersion \"" + versionText + "\""
              : "kind \"" + kindText + "\" (" + versionText + ") is not used by Weft: ignored"));
      return Optional.empty();
    }
    Kind kind = found.get();
    if (!kind.versions().contains(version)) {
      errors.add(new ConfigError(Severity.ERROR, source, line, "", "apiVersion",
          "no matches for kind \"" + kindName + "\" in version \"" + EchoedValue.of(apiVersion) + "\" (supported: "
              + String.join(", ", kind.versions()) + ")"));
      return Optional.empty();
    }
    return Optional.of(new Header(mapping, top, kind, apiVersion, line));
  }

  /** The problems found before binding stopped, and why it stopped when it did not end normally. */
  private static List<ConfigError> partialErrors(String source, Header h, Binder binder, RuntimeException stop) {
    List<ConfigError> errors = new ArrayList<>();
    Origin partial = new Origin(source, Binder.positionOf(h.mapping()), binder.fields());
    for (Binder.Problem problem : binder.problems()) {
      int problemLine = problem.line() > 0 ? problem.line() : partial.lineOf(problem.path());
      errors.add(new ConfigError(Severity.ERROR, source, problemLine, "", problem.path(), problem.message()));
    }
    if (stop != null) {
      errors.add(new ConfigError(Severity.ERROR, source, h.line(), "", "", stop.getMessage()));
    }
    return errors;
  }

  private Bound bindKind(
      String source, MappingNode mapping, Map<String, Node> top, Kind kind, String apiVersion, Binder binder) {
    binder.mark("", mapping);
    Map<String, Node> seen = new HashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      String key = Binder.keyText(tuple.getKeyNode());
      binder.spendCharacters(key.length(), "");
      binder.mark(key, tuple.getKeyNode());
      Node previous = seen.putIfAbsent(key, tuple.getKeyNode());
      if (previous != null) {
        binder.duplicate(key, key, previous, tuple.getKeyNode());
      } else if (kind.isIstio() && !ENVELOPE.contains(key)) {
        binder.problem(key, "unknown field \"" + EchoedValue.of(key) + "\"");
      }
    }
    ObjectMeta metadata = bindMetadata(top.get("metadata"), kind, binder);
    binder.namespace(metadata.namespace());
    Record spec = bindBody(mapping, top, kind, binder);

    String display = Resource.displayName(kind, metadata.namespace(), metadata.name());
    Origin origin = new Origin(source, Binder.positionOf(mapping), binder.fields());
    List<ConfigError> errors = new ArrayList<>();
    for (Binder.Problem problem : binder.problems()) {
      int problemLine = problem.line() > 0 ? problem.line() : origin.lineOf(problem.path());
      errors.add(new ConfigError(Severity.ERROR, source, problemLine, display, problem.path(), problem.message()));
    }
    if (!errors.isEmpty() || spec == null || metadata.name().isEmpty()) {
      return new Bound(Optional.empty(), errors);
    }
    return new Bound(Optional.of(new Resource<>(kind, apiVersion, metadata, spec, origin)), errors);
  }

  private ObjectMeta bindMetadata(Node node, Kind kind, Binder binder) {
    ObjectMeta bound = Binder.isNull(node)
        ? null
        : binder.bindRecord(node, ObjectMeta.class, "metadata", false, List.of());
    if (bound == null) {
      bound = new ObjectMeta("", "", Map.of(), Map.of(), null);
    }
    if (bound.name().isEmpty()) {
      binder.problem("metadata.name", "Required value: name or generateName is required");
    }
    String namespace = !kind.isNamespaced()
        ? ""
        : bound.namespace().isEmpty() ? options.defaultNamespace() : bound.namespace();
    return new ObjectMeta(bound.name(), namespace, bound.labels(), bound.annotations(), bound.creationTimestamp());
  }

  private Record bindBody(MappingNode mapping, Map<String, Node> top, Kind kind, Binder binder) {
    boolean strict = kind.isIstio();
    if (kind.body() == Kind.Body.ROOT) {
      return binder.bindRecord(mapping, kind.specType(), "", false, List.of("apiVersion", "kind", "metadata"));
    }
    Node spec = top.get("spec");
    if (Binder.isNull(spec)) {
      if (SPEC_REQUIRED.contains(kind)) {
        binder.problem("spec", "Required value");
        return null;
      }
      return binder.bindRecord(new MappingNode(Tag.MAP, List.of(), DumperOptions.FlowStyle.AUTO),
          kind.specType(), "spec", strict, List.of());
    }
    return binder.bindRecord(spec, kind.specType(), "spec", strict, List.of());
  }

  private static String scalar(Node node) {
    return node instanceof ScalarNode scalar && !Binder.isNull(node) ? scalar.getValue().strip() : "";
  }
}
