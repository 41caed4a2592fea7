package dev.weft.proxy.accesslog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * CEL's operators over the values an access log filter sees. Equality across types is false (CEL's heterogeneous
 * equality); ordering, arithmetic and membership across the wrong types, overflow and division by zero are errors.
 */
final class CelOperators {

    private CelOperators() {
    }

    static Object apply(String operator, Object l, Object r) {
        return switch (operator) {
            case "==" -> equal(l, r);
            case "!=" -> !equal(l, r);
            case "<", "<=", ">", ">=" -> ordered(operator, l, r);
            case "in" -> in(l, r);
            default -> arithmetic(operator, l, r);
        };
    }

    static boolean equal(Object l, Object r) {
        if (l instanceof List<?> a && r instanceof List<?> b) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!equal(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return !(l instanceof CelMap) && l.equals(r);
    }

    private static Object ordered(String operator, Object l, Object r) {
        int c;
        if (l instanceof Long a && r instanceof Long b) {
            c = Long.compare(a, b);
        } else if (l instanceof String a && r instanceof String b) {
            c = a.compareTo(b);
        } else if (l instanceof Duration a && r instanceof Duration b) {
            c = a.compareTo(b);
        } else if (l instanceof Boolean a && r instanceof Boolean b) {
            c = Boolean.compare(a, b);
        } else {
            return overload(l, operator, r);
        }
        return switch (operator) {
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            default -> c >= 0;
        };
    }

    private static Object in(Object element, Object container) {
        if (container instanceof List<?> list) {
            return list.stream().anyMatch(item -> equal(element, item));
        }
        if (container instanceof CelMap map && element instanceof String key) {
            return map.get(key) != null;
        }
        return overload(element, "in", container);
    }

    private static Object arithmetic(String operator, Object l, Object r) {
        try {
            if (l instanceof Long a && r instanceof Long b) {
                return switch (operator) {
                    case "+" -> Math.addExact(a, b);
                    case "-" -> Math.subtractExact(a, b);
                    case "*" -> Math.multiplyExact(a, b);
                    case "/" -> b == 0 ? new CelError("division by zero") : a / b;
                    default -> b == 0 ? new CelError("modulus by zero") : a % b;
                };
            }
            if (l instanceof Duration a && r instanceof Duration b && (operator.equals("+") || operator.equals("-"))) {
                return operator.equals("+") ? a.plus(b) : a.minus(b);
            }
            if (operator.equals("+") && l instanceof String a && r instanceof String b) {
                return a + b;
            }
            if (operator.equals("+") && l instanceof List<?> a && r instanceof List<?> b) {
                List<Object> joined = new ArrayList<>(a);
                joined.addAll(b);
                return joined;
            }
        } catch (ArithmeticException e) {
            return new CelError("int overflow in " + operator);
        }
        return overload(l, operator, r);
    }

    static Object negate(Object value) {
        try {
            if (value instanceof Long n) {
                return Math.negateExact(n);
            }
            if (value instanceof Duration d) {
                return d.negated();
            }
        } catch (ArithmeticException e) {
            return new CelError("int overflow in -");
        }
        return value instanceof CelError ? value : new CelError("no such overload: -" + type(value));
    }

    /** {@code container[key]} on a map or a list. */
    static Object index(Object container, Object key) {
        if (container instanceof CelError) {
            return container;
        }
        if (key instanceof CelError) {
            return key;
        }
        if (container instanceof CelMap map && key instanceof String name) {
            Object value = map.get(name);
            return value == null ? new CelError("no such key: " + name) : value;
        }
        if (container instanceof List<?> list && key instanceof Long i) {
            return i >= 0 && i < list.size() ? list.get(i.intValue()) : new CelError("index out of range: " + i);
        }
        return overload(container, "[]", key);
    }

    /** The result of {@code &&} or {@code ||} when neither side decided it: both bools, else the first error. */
    static Object logical(Object l, Object r, String operator) {
        if (l instanceof Boolean a && r instanceof Boolean b) {
            return operator.equals("&&") ? a && b : a || b;
        }
        if (l instanceof CelError) {
            return l;
        }
        return r instanceof CelError ? r : overload(l, operator, r);
    }

    private static CelError overload(Object l, String operator, Object r) {
        return new CelError("no such overload: " + type(l) + " " + operator + " " + type(r));
    }

    static String type(Object value) {
        return switch (value) {
            case Long n -> "int";
            case String s -> "string";
            case Boolean b -> "bool";
            case Duration d -> "duration";
            case List<?> l -> "list";
            case CelMap m -> "map";
            default -> value.getClass().getSimpleName();
        };
    }
}
