package dev.weft.proxy.accesslog;

import dev.weft.proxy.config.ConfigException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The CEL functions access log filters use: {@code duration('1.5s')}, {@code int(x)}, {@code string(x)},
 * {@code size(x)}, and the string methods {@code startsWith}, {@code endsWith}, {@code contains} and
 * {@code matches} (RE2-style search, the pattern compiled once when it is a literal). Chosen by name and arity when
 * the expression is parsed, so an unknown function is a config error.
 */
final class CelFunctions {

    /** A resolved function: the method's receiver (null for a global function) and the argument values. */
    @FunctionalInterface
    interface Function {
        Object apply(Object target, Object[] args);
    }

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
    private static final long MAX_DURATION_SECONDS = 315_576_000_000L;

    private CelFunctions() {
    }

    /** The function {@code name} with these arguments; {@code method} when called as {@code x.name(...)}. */
    static Function resolve(String name, boolean method, List<CelNode> args) {
        String signature = (method ? "_." : "") + name + "/" + args.size();
        return switch (signature) {
            case "duration/1" -> (t, a) -> a[0] instanceof String s ? duration(s) : overload(name, a[0]);
            case "int/1" -> (t, a) -> toInt(a[0]);
            case "string/1" -> (t, a) -> toText(a[0]);
            case "size/1" -> (t, a) -> size(a[0]);
            case "_.size/0" -> (t, a) -> size(t);
            case "_.startsWith/1" -> strings(name, (s, x) -> s.startsWith(x));
            case "_.endsWith/1" -> strings(name, (s, x) -> s.endsWith(x));
            case "_.contains/1" -> strings(name, (s, x) -> s.contains(x));
            case "_.matches/1" -> matches(args.getFirst());
            default -> throw new ConfigException("unknown function " + (method ? "." : "") + name + " with "
                    + args.size() + " argument" + (args.size() == 1 ? "" : "s"));
        };
    }

    private interface StringTest {
        boolean test(String subject, String argument);
    }

    private static Function strings(String name, StringTest test) {
        return (t, a) -> t instanceof String s && a[0] instanceof String x ? (Object) test.test(s, x)
                : overload(name, t, a[0]);
    }

    private static Function matches(CelNode pattern) {
        if (pattern instanceof CelNode.Literal(String regex)) {
            Pattern compiled = compile(regex);
            return (t, a) -> t instanceof String s ? (Object) compiled.matcher(s).find() : overload("matches", t);
        }
        return (t, a) -> {
            if (!(t instanceof String s) || !(a[0] instanceof String regex)) {
                return overload("matches", t, a[0]);
            }
            try {
                return Pattern.compile(regex).matcher(s).find();
            } catch (PatternSyntaxException e) {
                return new CelError("invalid regular expression: " + e.getDescription());
            }
        };
    }

    private static Pattern compile(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new ConfigException("invalid regular expression '" + regex + "': " + e.getDescription());
        }
    }

    /** Go's duration syntax, as CEL's {@code duration()}: {@code 1h30m}, {@code 1.5s}, {@code -100ms}. */
    static Object duration(String text) {
        String rest = text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
        if (rest.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = DURATION_PART.matcher(rest);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < rest.length() && m.find(at) && m.start() == at) {
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
            at = m.end();
        }
        if (rest.isEmpty() || at != rest.length()) {
            return new CelError("invalid duration '" + text + "'");
        }
        if (nanos.compareTo(BigDecimal.valueOf(MAX_DURATION_SECONDS).multiply(BigDecimal.valueOf(1_000_000_000L))) > 0) {
            return new CelError("duration '" + text + "' is out of range");
        }
        Duration d = Duration.ofNanos(0).plusSeconds(nanos.divideToIntegralValue(BigDecimal.valueOf(1_000_000_000L))
                .longValue()).plusNanos(nanos.remainder(BigDecimal.valueOf(1_000_000_000L)).longValue());
        return text.startsWith("-") ? d.negated() : d;
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1;
            case "us", "µs" -> 1_000;
            case "ms" -> 1_000_000;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        };
    }

    private static Object toInt(Object value) {
        return switch (value) {
            case Long n -> n;
            case String s -> {
                try {
                    yield Long.parseLong(s);
                } catch (NumberFormatException e) {
                    yield new CelError("cannot convert '" + s + "' to int");
                }
            }
            case Duration d -> d.getSeconds();
            default -> overload("int", value);
        };
    }

    private static Object toText(Object value) {
        return switch (value) {
            case Long n -> n.toString();
            case String s -> s;
            case Boolean b -> b.toString();
            default -> overload("string", value);
        };
    }

    private static Object size(Object value) {
        return switch (value) {
            case String s -> (long) s.codePointCount(0, s.length());
            case List<?> l -> (long) l.size();
            default -> overload("size", value);
        };
    }

    private static CelError overload(String name, Object... values) {
        StringBuilder types = new StringBuilder();
        for (Object v : values) {
            types.append(types.isEmpty() ? "" : ", ").append(v == null ? "none" : CelOperators.type(v));
        }
        return new CelError("no such overload: " + name + "(" + types + ")");
    }
}
