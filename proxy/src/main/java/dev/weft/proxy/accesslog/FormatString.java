package dev.weft.proxy.accesslog;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.weft.proxy.config.ConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * A format string compiled into literal text and command operators, as Envoy's parser reads it: an operator is
 * {@code %NAME%}, {@code %NAME(argument)%} or either with {@code :Z} (the value's length limit) before the closing
 * {@code %}; the argument cannot contain {@code )}. A {@code %} that starts no operator is a config error.
 */
final class FormatString {

    private static final JsonFormat.Printer VALUE_JSON = JsonFormat.printer().omittingInsignificantWhitespace();

    /** Each part is a literal {@code String} or a {@link CommandOperator}. */
    private final List<Object> parts;

    private FormatString(List<Object> parts) {
        this.parts = List.copyOf(parts);
    }

    static FormatString parse(String format) {
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c != '%') {
                literal.append(c);
                i++;
                continue;
            }
            int end = operatorEnd(format, i);
            if (end < 0) {
                throw new ConfigException("access log format \"" + format
                        + "\": no valid command operator at position " + i);
            }
            if (!literal.isEmpty()) {
                parts.add(literal.toString());
                literal.setLength(0);
            }
            parts.add(compile(format.substring(i + 1, end)));
            i = end + 1;
        }
        if (!literal.isEmpty()) {
            parts.add(literal.toString());
        }
        return new FormatString(parts);
    }

    /** The index of the {@code %} closing the operator that starts at {@code start}, or -1. */
    private static int operatorEnd(String s, int start) {
        int i = start + 1;
        while (i < s.length() && (Character.isUpperCase(s.charAt(i)) || Character.isDigit(s.charAt(i))
                || s.charAt(i) == '_')) {
            i++;
        }
        if (i == start + 1 || i == s.length()) {
            return -1;
        }
        if (s.charAt(i) == '(') {
            int close = s.indexOf(')', i);
            if (close < 0) {
                return -1;
            }
            i = close + 1;
        }
        if (i < s.length() && s.charAt(i) == ':') {
            int digits = ++i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (i == digits) {
                return -1;
            }
        }
        return i < s.length() && s.charAt(i) == '%' ? i : -1;
    }

    /** {@code NAME(arg):Z} without the percent signs. */
    private static CommandOperator compile(String command) {
        int maxLength = 0;
        int close = command.lastIndexOf(')');
        int colon = command.indexOf(':', close < 0 ? 0 : close);
        if (colon >= 0) {
            maxLength = Integer.parseInt(command.substring(colon + 1));
            command = command.substring(0, colon);
        }
        int open = command.indexOf('(');
        String name = open < 0 ? command : command.substring(0, open);
        String argument = open < 0 ? null : command.substring(open + 1, command.length() - 1);
        return CommandOperators.parse(name, argument, maxLength);
    }

    /** Appends the text form: a missing value prints {@code -}, or nothing with {@code omitEmpty}. */
    void appendText(StringBuilder out, AccessLogContext context, boolean omitEmpty) {
        for (Object part : parts) {
            if (part instanceof CommandOperator op) {
                Object v = op.value(context);
                out.append(v == null ? (omitEmpty ? "" : "-") : text(v));
            } else {
                out.append((String) part);
            }
        }
    }

    /**
     * The JSON value: a format that is one operator and nothing else keeps the operator's type (a number, a struct,
     * or null when missing), as Envoy's typed JSON; anything else is a string.
     */
    Object jsonValue(AccessLogContext context, boolean omitEmpty) {
        if (parts.size() == 1 && parts.getFirst() instanceof CommandOperator op) {
            return op.value(context);
        }
        StringBuilder out = new StringBuilder();
        appendText(out, context, omitEmpty);
        return out.toString();
    }

    static String text(Object v) {
        if (v instanceof Value value) {
            return json(value);
        }
        return v.toString();
    }

    static String json(Value value) {
        try {
            return VALUE_JSON.print(value);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a struct value always prints", e);
        }
    }
}
