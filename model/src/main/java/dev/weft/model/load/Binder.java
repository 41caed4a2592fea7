package dev.weft.model.load;

import dev.weft.model.EchoedValue;
import dev.weft.model.FieldPositions;
import dev.weft.model.FqdnHost;
import dev.weft.model.HostNames;
import dev.weft.model.NullWhenAbsent;
import dev.weft.model.ObjectMeta;
import dev.weft.model.Position;
import dev.weft.model.common.IntOrString;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Binds a node tree to records, using the record components as the schema: one binder for every kind.
 * Records every visited field's position and scalar text, and collects problems (wrong types, unknown
 * fields of strict kinds, duplicate keys, bad enum values) with Kubernetes API server wording instead
 * of failing.
 */
final class Binder {

  /**
   * A problem found while binding, before the document's origin exists.
   *
   * @param line where to point, or 0 for the line of {@code path}
   */
  record Problem(String path, String message, int line) {}

  /** Thrown when a document expands past the node or size budget (an alias bomb); ends that document. */
  static final class BudgetExceeded extends RuntimeException {
    BudgetExceeded(String message) {
      super(message, null, false, false);
    }
  }

  static final int MAX_PROBLEMS = 100;
  /** Longest scalar worth sharing between fields (a host name). */
  private static final int MAX_SHARED = 253;

  private final FieldPositions.Builder fields = FieldPositions.builder();
  /** Short scalars and expanded hosts seen in this document: 10,000 routes to one host keep one copy of it. */
  private final Map<String, String> shared = new HashMap<>();
  private final List<Problem> problems = new ArrayList<>();
  private final String domainSuffix;
  private final List<String> sourceLines;
  private final LoadLimits limits;
  private int budget;
  private long characters;
  private String namespace = "";

  Binder(String domainSuffix, LoadLimits limits, List<String> sourceLines) {
    this.domainSuffix = domainSuffix;
    this.limits = limits;
    this.budget = limits.maxNodesPerDocument();
    this.sourceLines = sourceLines;
  }

  /** Namespace used to expand {@link FqdnHost} fields bound from now on. */
  void namespace(String ns) {
    this.namespace = ns;
  }

  /** Where each field read so far was written, and the text of its scalars. */
  FieldPositions fields() {
    return fields.build();
  }

  List<Problem> problems() {
    return problems;
  }

  void problem(String path, String message) {
    add(new Problem(path, message, 0));
  }

  /** A repeated key: points at the repetition, names the line of the first. */
  void duplicate(String path, String key, Node first, Node repeated) {
    add(new Problem(path, "duplicate field \"" + key + "\" (first set at line " + positionOf(first).line()
        + ")", positionOf(repeated).line()));
  }

  /** Hostile input can hold millions of bad keys: stop the document after a screenful of problems. */
  private void add(Problem problem) {
    if (problems.contains(problem)) {
      return; // root-level kinds see their top-level keys twice
    }
    problems.add(problem);
    if (problems.size() >= MAX_PROBLEMS) {
      throw new BudgetExceeded("too many problems in this document: stopped after " + MAX_PROBLEMS);
    }
  }

  void mark(String path, Node node) {
    fields.mark(path, node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1);
  }

  static Position positionOf(Node node) {
    return new Position(node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1);
  }

  /**
   * Binds a mapping to a record. {@code skipKeys} are top-level keys handled by the caller (apiVersion,
   * kind, metadata when a kind's fields live at the document root).
   */
  <R extends Record> R bindRecord(
      Node node, Class<R> type, String path, boolean strict, List<String> skipKeys) {
    spend(path);
    if (!(node instanceof MappingNode mapping)) {
      problem(path, typeMismatch(path, node, "object"));
      return null;
    }
    boolean strictHere = strict && type != ObjectMeta.class;
    RecordComponent[] components = type.getRecordComponents();
    Map<String, RecordComponent> byName = new HashMap<>();
    for (RecordComponent component : components) {
      byName.put(component.getName(), component);
    }
    Map<String, Object> values = new HashMap<>();
    Map<String, Node> seen = new HashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      String key = keyText(tuple.getKeyNode());
      if (skipKeys.contains(key)) {
        continue;
      }
      spendCharacters(key.length(), path);
      String childPath = join(path, key);
      Node previous = seen.putIfAbsent(key, tuple.getKeyNode());
      if (previous != null) {
        duplicate(childPath, key, previous, tuple.getKeyNode());
        continue;
      }
      RecordComponent component = byName.get(key);
      if (component == null) {
        if (strictHere) {
          mark(childPath, tuple.getKeyNode());
          problem(childPath, "unknown field \"" + EchoedValue.of(key) + "\"");
        }
        continue;
      }
      mark(childPath, tuple.getKeyNode());
      values.put(key, bindValue(tuple.getValueNode(), component.getGenericType(), childPath, strictHere,
          component.isAnnotationPresent(FqdnHost.class), component.isAnnotationPresent(NullWhenAbsent.class)));
    }
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent component = components[i];
      Object value = values.get(component.getName());
      args[i] = value != null || component.isAnnotationPresent(NullWhenAbsent.class)
          ? value
          : defaultFor(component.getGenericType());
    }
    return construct(type, components, args);
  }

  private Object bindValue(
      Node node, Type type, String path, boolean strict, boolean fqdn, boolean nullWhenAbsent) {
    if (isNull(node)) {
      return nullWhenAbsent ? null : defaultFor(type);
    }
    if (type instanceof ParameterizedType parameterized) {
      Class<?> raw = (Class<?>) parameterized.getRawType();
      Type[] arguments = parameterized.getActualTypeArguments();
      if (raw == List.class) {
        return bindList(node, arguments[0], path, strict, fqdn);
      }
      if (raw == Map.class) {
        return bindMap(node, (Class<?>) arguments[0], arguments[1], path, strict);
      }
      throw new IllegalStateException("unsupported schema type " + type + " at " + path);
    }
    Class<?> target = (Class<?>) type;
    if (target.isRecord() && target != IntOrString.class) {
      return bindRecord(node, target.asSubclass(Record.class), path, strict, List.of());
    }
    spend(path);
    node = asPlainScalar(node);
    if (!(node instanceof ScalarNode scalar)) {
      problem(path, typeMismatch(path, node, schemaTypeName(target)));
      return defaultFor(type);
    }
    String text = scalar.getValue();
    spendCharacters(text.length(), path);
    if (text.length() > limits.maxFieldChars()) {
      problem(path, "Too long: may not be more than " + limits.maxFieldChars() + " characters (has "
          + text.length() + ")");
      return defaultFor(type);
    }
    if (text.length() <= MAX_SHARED) {
      text = shared.computeIfAbsent(text, t -> t);
    }
    fields.scalar(path, scalar.getStartMark().getLine() + 1, scalar.getStartMark().getColumn() + 1, text);
    Object value = bindScalar(text, scalar, target, path);
    if (fqdn && value instanceof String host) {
      String expanded = HostNames.toFqdn(host, namespace, domainSuffix);
      return expanded.length() <= MAX_SHARED ? shared.computeIfAbsent(expanded, e -> e) : expanded;
    }
    return value == null ? defaultFor(type) : value;
  }

  private List<Object> bindList(Node node, Type elementType, String path, boolean strict, boolean fqdn) {
    spend(path);
    if (!(node instanceof SequenceNode sequence)) {
      problem(path, typeMismatch(path, node, "array"));
      return List.of();
    }
    List<Object> out = new ArrayList<>();
    List<Node> items = sequence.getValue();
    for (int i = 0; i < items.size(); i++) {
      String itemPath = path + "[" + i + "]";
      Node item = items.get(i);
      mark(itemPath, item);
      if (isNull(item)) {
        problem(itemPath, typeMismatch(itemPath, item, schemaTypeName(rawClass(elementType))));
        continue;
      }
      Object value = bindValue(item, elementType, itemPath, strict, fqdn, false);
      if (value != null) {
        out.add(value);
      }
    }
    return List.copyOf(out);
  }

  private Map<Object, Object> bindMap(Node node, Class<?> keyType, Type valueType, String path, boolean strict) {
    spend(path);
    if (!(node instanceof MappingNode mapping)) {
      problem(path, typeMismatch(path, node, "object"));
      return Map.of();
    }
    Map<Object, Object> out = new LinkedHashMap<>();
    Map<String, Node> seen = new HashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      String key = keyText(tuple.getKeyNode());
      spendCharacters(key.length(), path);
      String entryPath = path + "[" + key + "]";
      Node previous = seen.putIfAbsent(key, tuple.getKeyNode());
      if (previous != null) {
        duplicate(entryPath, key, previous, tuple.getKeyNode());
        continue;
      }
      mark(entryPath, tuple.getKeyNode());
      Object typedKey = key;
      if (keyType == Integer.class) {
        Long number = parseLong(key);
        if (number == null || !fitsInt(number)) {
          problem(entryPath, "Invalid value: \"" + EchoedValue.of(key) + "\": type conversion error from string to integer");
          continue;
        }
        typedKey = number.intValue();
      }
      Node valueNode = tuple.getValueNode();
      Object value = isNull(valueNode) && valueType == String.class
          ? ""
          : bindValue(valueNode, valueType, entryPath, strict, false, false);
      if (value == null) {
        problem(entryPath, typeMismatch(entryPath, valueNode, schemaTypeName(rawClass(valueType))));
        continue;
      }
      out.put(typedKey, value);
    }
    return Collections.unmodifiableMap(out);
  }

  /** {@code text} is the scalar's value, possibly an equal string shared with other fields. */
  private Object bindScalar(String text, ScalarNode scalar, Class<?> target, String path) {
    Tag tag = scalar.getTag();
    if (target == String.class) {
      return text;
    }
    if (target == int.class || target == Integer.class || target == long.class || target == Long.class) {
      Long number = parseLong(text);
      if (number == null) {
        problem(path, typeMismatch(path, scalar, "integer"));
        return null;
      }
      if (target == int.class || target == Integer.class) {
        if (!fitsInt(number)) {
          problem(path, "Invalid value: " + EchoedValue.of(text) + ": " + path + " in body should be less than or equal to "
              + Integer.MAX_VALUE);
          return null;
        }
        return number.intValue();
      }
      return number;
    }
    if (target == double.class || target == Double.class) {
      try {
        return Double.parseDouble(text);
      } catch (NumberFormatException e) {
        problem(path, typeMismatch(path, scalar, "number"));
        return null;
      }
    }
    if (target == boolean.class || target == Boolean.class) {
      return switch (text.toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on" -> Boolean.TRUE;
        case "false", "no", "off" -> Boolean.FALSE;
        default -> {
          problem(path, typeMismatch(path, scalar, "boolean"));
          yield null;
        }
      };
    }
    if (target.isEnum()) {
      return enumConstant(target, text, path);
    }
    if (target == Duration.class) {
      Duration duration = DurationText.parse(text);
      if (duration == null) {
        problem(path, "Invalid value: \"" + EchoedValue.of(text) + "\": must be a valid duration greater than or equal to 0s"
            + " (such as 1.5s, 300ms or 1h)");
      }
      return duration;
    }
    if (target == Instant.class) {
      try {
        return Instant.parse(text);
      } catch (DateTimeException e) {
        problem(path, "Invalid value: \"" + EchoedValue.of(text) + "\": must be an RFC 3339 timestamp");
        return null;
      }
    }
    if (target == IntOrString.class) {
      Long number = Tag.INT.equals(tag) ? parseLong(text) : null;
      return number != null && fitsInt(number) ? new IntOrString(number.intValue(), null) : new IntOrString(null, text);
    }
    throw new IllegalStateException("unsupported schema type " + target + " at " + path);
  }

  /**
   * YAML 1.1 reads {@code [1.2.3.4, 2001:db8::]} as a sequence holding a one-pair mapping, where Kubernetes
   * (YAML 1.2) reads the string {@code 2001:db8::}. Where a scalar is expected, such a single-line flow
   * pair is read back as the text it was written as.
   */
  private Node asPlainScalar(Node node) {
    if (!(node instanceof MappingNode mapping)
        || mapping.getFlowStyle() != DumperOptions.FlowStyle.FLOW
        || mapping.getValue().size() != 1
        || !(mapping.getValue().getFirst().getKeyNode() instanceof ScalarNode)
        || !(mapping.getValue().getFirst().getValueNode() instanceof ScalarNode)) {
      return node;
    }
    int line = node.getStartMark().getLine();
    int from = node.getStartMark().getColumn();
    if (line >= sourceLines.size() || from >= sourceLines.get(line).length()) {
      return node;
    }
    String source = sourceLines.get(line);
    int to = from;
    while (to < source.length() && ",]}#".indexOf(source.charAt(to)) < 0) {
      to++;
    }
    String text = source.substring(from, to).strip();
    if (text.isEmpty() || text.startsWith("{") || text.contains(": ")) {
      return node;
    }
    return new ScalarNode(Tag.STR, text, node.getStartMark(), node.getEndMark(), DumperOptions.ScalarStyle.PLAIN);
  }

  private Object enumConstant(Class<?> target, String text, String path) {
    for (Object constant : target.getEnumConstants()) {
      if (((Enum<?>) constant).name().equals(text)) {
        return constant;
      }
    }
    String supported = Arrays.stream(target.getEnumConstants())
        .map(c -> "\"" + ((Enum<?>) c).name() + "\"")
        .collect(Collectors.joining(", "));
    problem(path, "Unsupported value: \"" + EchoedValue.of(text) + "\": supported values: " + supported);
    return null;
  }

  private void spend(String path) {
    if (--budget < 0) {
      throw new BudgetExceeded("document expands to too many nodes (alias expansion?) at " + path);
    }
  }

  /**
   * Counts the text of every key and scalar as if aliases were written out, before anything copies it (a 1 MB
   * scalar aliased a thousand times is one string until each host is expanded to an FQDN). Without aliases a
   * document cannot pass this: the parser bounds its source text by the same limit.
   */
  void spendCharacters(int count, String path) {
    characters += count;
    if (characters > limits.maxDocumentChars()) {
      throw new BudgetExceeded("document too large: aliases expand it past " + limits.maxDocumentChars()
          + " characters (at " + (path.isEmpty() ? "the top level" : path) + ")");
    }
  }

  private static Object defaultFor(Type type) {
    Class<?> raw = rawClass(type);
    if (raw == List.class) {
      return List.of();
    }
    if (raw == Map.class) {
      return Map.of();
    }
    if (raw == String.class) {
      return "";
    }
    if (raw == int.class) {
      return 0;
    }
    if (raw == long.class) {
      return 0L;
    }
    if (raw == double.class) {
      return 0.0;
    }
    if (raw == boolean.class) {
      return false;
    }
    if (raw.isEnum()) {
      return raw.getEnumConstants()[0];
    }
    return null;
  }

  private static <R extends Record> R construct(Class<R> type, RecordComponent[] components, Object[] args) {
    Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
    try {
      Constructor<R> constructor = type.getDeclaredConstructor(types);
      return constructor.newInstance(args);
    } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
      throw new IllegalStateException("cannot construct " + type.getName(), e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("cannot construct " + type.getName(), e.getCause());
    }
  }

  static boolean isNull(Node node) {
    return node == null || (node instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag()));
  }

  static String keyText(Node key) {
    return key instanceof ScalarNode scalar ? scalar.getValue() : "<" + nodeTypeName(key) + ">";
  }

  static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static Class<?> rawClass(Type type) {
    return type instanceof ParameterizedType parameterized
        ? (Class<?>) parameterized.getRawType()
        : (Class<?>) type;
  }

  private static Long parseLong(String text) {
    try {
      return new BigInteger(text.replace("_", "")).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  private static boolean fitsInt(long value) {
    return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE;
  }

  /** Kubernetes' wording: {@code spec.x: Invalid value: "string": spec.x in body must be of type integer: "string"}. */
  static String typeMismatch(String path, Node node, String expected) {
    String actual = nodeTypeName(node);
    return "Invalid value: \"" + actual + "\": " + path + " in body must be of type " + expected + ": \""
        + actual + "\"";
  }

  private static String schemaTypeName(Class<?> type) {
    if (type == String.class || type == Duration.class || type == Instant.class || type.isEnum()) {
      return "string";
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "integer";
    }
    if (type == double.class || type == Double.class) {
      return "number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "boolean";
    }
    if (type == List.class) {
      return "array";
    }
    if (type == IntOrString.class) {
      return "integer or string";
    }
    return "object";
  }

  static String nodeTypeName(Node node) {
    if (isNull(node)) {
      return "null";
    }
    if (node instanceof MappingNode) {
      return "object";
    }
    if (node instanceof SequenceNode) {
      return "array";
    }
    Tag tag = node.getTag();
    if (Tag.INT.equals(tag)) {
      return "integer";
    }
    if (Tag.FLOAT.equals(tag)) {
      return "number";
    }
    if (Tag.BOOL.equals(tag)) {
      return "boolean";
    }
    return "string";
  }
}
