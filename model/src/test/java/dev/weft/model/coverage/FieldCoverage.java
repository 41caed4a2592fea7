package dev.weft.model.coverage;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.weft.model.common.IntOrString;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Walks one of our records side by side with the fabric8 class generated from the same Istio proto
 * message, comparing JSON field names and shapes. fabric8 models a oneof as an {@link JsonUnwrapped}
 * interface whose {@link JsonSubTypes} each hold one member field; those members are flattened into the
 * message, as they are in Istio's YAML.
 */
final class FieldCoverage {

  /**
   * What the walk found. {@code gaps} are defects; {@code extras} are our fields and enum values fabric8
   * lacks ({@code Record.field}, {@code Enum.CONSTANT}); {@code unverifiable} are our records whose fabric8
   * class cannot describe them (see {@link #isOneofMember}). A message reached along several paths is
   * compared once, at the first.
   */
  record Report(List<String> gaps, Set<String> extras, Set<String> unverifiable, int comparedFields) {}

  private enum Shape { STRING, INTEGER, NUMBER, BOOLEAN, ENUM, LIST, MAP, OBJECT, ANY }

  private final List<String> gaps = new ArrayList<>();
  private final Set<String> extras = new TreeSet<>();
  private final Set<String> unverifiable = new TreeSet<>();
  private final Set<String> visited = new HashSet<>();
  private int comparedFields;

  static Report compare(Class<?> ours, Class<?> fabric8, String path) {
    FieldCoverage coverage = new FieldCoverage();
    coverage.walkMessage(ours, fabric8, path);
    return new Report(List.copyOf(coverage.gaps), Set.copyOf(coverage.extras), Set.copyOf(coverage.unverifiable),
        coverage.comparedFields);
  }

  /** JSON name to declared type of every field of a fabric8 message, oneof members flattened. */
  static Map<String, Type> jsonFields(Class<?> fabric8) {
    Map<String, Type> fields = new LinkedHashMap<>();
    for (Field field : fabric8.getDeclaredFields()) {
      JsonProperty property = field.getAnnotation(JsonProperty.class);
      if (property == null || Modifier.isStatic(field.getModifiers())) {
        continue;
      }
      if (field.isAnnotationPresent(JsonUnwrapped.class)) {
        JsonSubTypes members = field.getType().getAnnotation(JsonSubTypes.class);
        if (members == null) {
          throw new IllegalStateException("unwrapped field without subtypes: " + field);
        }
        for (JsonSubTypes.Type member : members.value()) {
          fields.putAll(jsonFields(member.value()));
        }
      } else {
        fields.put(property.value(), field.getGenericType());
      }
    }
    return fields;
  }

  private void walkMessage(Class<?> ours, Class<?> fabric8, String path) {
    if (!visited.add(ours.getName() + "=" + fabric8.getName())) {
      return;
    }
    Map<String, RecordComponent> components = new LinkedHashMap<>();
    for (RecordComponent component : ours.getRecordComponents()) {
      components.put(component.getName(), component);
    }
    Map<String, Type> theirs = jsonFields(fabric8);
    for (Map.Entry<String, Type> field : theirs.entrySet()) {
      String fieldPath = path + "." + field.getKey();
      RecordComponent component = components.get(field.getKey());
      comparedFields++;
      if (component == null) {
        gaps.add(fieldPath + ": missing (fabric8 " + fabric8.getSimpleName() + " has it as "
            + field.getValue().getTypeName() + ")");
        continue;
      }
      walkValue(component.getGenericType(), field.getValue(), fieldPath);
    }
    for (String name : components.keySet()) {
      if (!theirs.containsKey(name)) {
        extras.add(ours.getSimpleName() + "." + name);
      }
    }
  }

  private void walkValue(Type ours, Type theirs, String path) {
    Shape ourShape = ourShape(ours);
    Shape theirShape = fabric8Shape(theirs);
    if (!compatible(ourShape, theirShape, ours)) {
      gaps.add(path + ": fabric8 has " + theirShape + " (" + theirs.getTypeName() + "), ours is " + ourShape
          + " (" + ours.getTypeName() + ")");
      return;
    }
    switch (theirShape) {
      case LIST -> walkValue(typeArgument(ours, 0), typeArgument(theirs, 0), path + "[]");
      case MAP -> {
        if (ourShape == Shape.MAP) {
          walkValue(typeArgument(ours, 1), typeArgument(theirs, 1), path + "[]");
        }
      }
      case OBJECT -> {
        if (isOneofMember((Class<?>) theirs)) {
          unverifiable.add(raw(ours).getSimpleName() + " (fabric8 " + ((Class<?>) theirs).getSimpleName() + ")");
        } else {
          walkMessage((Class<?>) ours, (Class<?>) theirs, path);
        }
      }
      case ENUM -> compareEnums((Class<?>) ours, (Class<?>) theirs, path);
      default -> { }
    }
  }

  /**
   * A oneof member wrapper used as a message type: fabric8 gave a message and a oneof member the same class
   * name (LoadBalancerSettings.ConsistentHashLB.RingHash and the ringHash member), so the message's own
   * fields are lost and the class only holds itself.
   */
  private static boolean isOneofMember(Class<?> fabric8) {
    return Arrays.stream(fabric8.getInterfaces()).anyMatch(i -> i.isAnnotationPresent(JsonSubTypes.class));
  }

  private static boolean compatible(Shape ours, Shape theirs, Type ourType) {
    if (ours == theirs) {
      return true;
    }
    return switch (theirs) {
      // IntOrString and google.protobuf.Struct take more than one shape; their members decide.
      case STRING, INTEGER -> ourType == IntOrString.class;
      case ANY -> ours == Shape.MAP || ours == Shape.OBJECT;
      default -> false;
    };
  }

  private void compareEnums(Class<?> ours, Class<?> theirs, String path) {
    Set<String> ourNames = constantNames(ours);
    Set<String> theirNames = constantNames(theirs);
    for (String name : theirNames) {
      if (!ourNames.contains(name)) {
        gaps.add(path + ": enum " + ours.getSimpleName() + " lacks " + name + " (fabric8 " + theirs.getSimpleName()
            + " has " + theirNames + ")");
      }
    }
    for (String name : ourNames) {
      if (!theirNames.contains(name)) {
        extras.add(ours.getSimpleName() + "." + name);
      }
    }
  }

  private static Set<String> constantNames(Class<?> enumType) {
    Set<String> names = new TreeSet<>();
    Arrays.stream(enumType.getEnumConstants()).forEach(c -> names.add(((Enum<?>) c).name()));
    return names;
  }

  private static Shape ourShape(Type type) {
    Class<?> raw = raw(type);
    if (raw == List.class) {
      return Shape.LIST;
    }
    if (raw == Map.class) {
      return Shape.MAP;
    }
    if (raw == String.class || raw == Duration.class || raw == Instant.class) {
      return Shape.STRING;
    }
    if (raw == IntOrString.class) {
      return Shape.ANY;
    }
    return scalarOrObject(raw);
  }

  private static Shape fabric8Shape(Type type) {
    Class<?> raw = raw(type);
    if (raw == List.class) {
      return Shape.LIST;
    }
    if (raw == Map.class) {
      return Shape.MAP;
    }
    if (raw == String.class) {
      return Shape.STRING;
    }
    if (raw == Object.class) {
      return Shape.ANY;
    }
    return scalarOrObject(raw);
  }

  private static Shape scalarOrObject(Class<?> raw) {
    if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
      return Shape.INTEGER;
    }
    if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
      return Shape.NUMBER;
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return Shape.BOOLEAN;
    }
    if (raw.isEnum()) {
      return Shape.ENUM;
    }
    return Shape.OBJECT;
  }

  private static Class<?> raw(Type type) {
    return type instanceof ParameterizedType parameterized ? (Class<?>) parameterized.getRawType() : (Class<?>) type;
  }

  private static Type typeArgument(Type type, int index) {
    return ((ParameterizedType) type).getActualTypeArguments()[index];
  }
}
