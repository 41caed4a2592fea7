package dev.weft.proxy.accesslog;

import java.util.ArrayList;
import java.util.List;

/** A token of a CEL expression, with its 0-based position for error messages; {@link #scan} splits a source. */
record CelToken(Kind kind, String text, int position) {

    enum Kind { INT, STRING, IDENTIFIER, OPERATOR, END }

    private static final List<String> OPERATORS = List.of("==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "+",
            "-", "*", "/", "%", "(", ")", "[", "]", ".", ",", "?", ":");

    boolean isOperator() {
        return kind == Kind.OPERATOR || (kind == Kind.IDENTIFIER && text.equals("in"));
    }

    boolean isOperator(String operator) {
        return isOperator() && text.equals(operator);
    }

    String describe() {
        return switch (kind) {
            case END -> "the end of the expression";
            case STRING -> "string '" + text + "'";
            default -> "'" + text + "'";
        };
    }

    /** A decimal or {@code 0x} hexadecimal int literal, optionally with CEL's unsigned suffix {@code u}. */
    static long intValue(String text, CelToken at) {
        boolean negative = text.startsWith("-");
        String digits = negative ? text.substring(1) : text;
        if (digits.endsWith("u") || digits.endsWith("U")) {
            digits = digits.substring(0, digits.length() - 1);
        }
        boolean hex = digits.startsWith("0x") || digits.startsWith("0X");
        try {
            return Long.parseLong((negative ? "-" : "") + (hex ? digits.substring(2) : digits), hex ? 16 : 10);
        } catch (NumberFormatException e) {
            throw CelParser.error(at, "int literal " + text + " is out of range");
        }
    }

    static List<CelToken> scan(String source) {
        List<CelToken> tokens = new ArrayList<>();
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isDigit(c)) {
                i = number(source, i, tokens);
            } else if (c == '\'' || c == '"') {
                i = string(source, i, i, false, tokens);
            } else if ((c == 'r' || c == 'R') && i + 1 < source.length() && isQuote(source.charAt(i + 1))) {
                i = string(source, i, i + 1, true, tokens);
            } else if ((c == 'b' || c == 'B') && i + 1 < source.length() && isQuote(source.charAt(i + 1))) {
                throw at(i, "bytes literals are not supported");
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < source.length() && (Character.isLetterOrDigit(source.charAt(i)) || source.charAt(i) == '_')) {
                    i++;
                }
                tokens.add(new CelToken(Kind.IDENTIFIER, source.substring(start, i), start));
            } else {
                i = operator(source, i, tokens);
            }
        }
        tokens.add(new CelToken(Kind.END, "", source.length()));
        return tokens;
    }

    private static boolean isQuote(char c) {
        return c == '\'' || c == '"';
    }

    private static int number(String source, int start, List<CelToken> tokens) {
        int i = start;
        boolean hex = source.startsWith("0x", i) || source.startsWith("0X", i);
        i += hex ? 2 : 0;
        while (i < source.length() && (hex ? Character.digit(source.charAt(i), 16) >= 0 : Character.isDigit(source.charAt(i)))) {
            i++;
        }
        if (!hex && i < source.length() && (source.charAt(i) == '.' && i + 1 < source.length()
                && Character.isDigit(source.charAt(i + 1)) || source.charAt(i) == 'e' || source.charAt(i) == 'E')) {
            throw at(start, "floating-point literals are not supported");
        }
        if (i < source.length() && (source.charAt(i) == 'u' || source.charAt(i) == 'U')) {
            i++;
        }
        if (i < source.length() && (Character.isLetterOrDigit(source.charAt(i)) || source.charAt(i) == '_')) {
            throw at(i, "unexpected '" + source.charAt(i) + "' in a number");
        }
        tokens.add(new CelToken(Kind.INT, source.substring(start, i), start));
        return i;
    }

    /** A quoted string ({@code quote} is where the quote is); raw strings keep backslashes. */
    private static int string(String source, int start, int quote, boolean raw, List<CelToken> tokens) {
        char q = source.charAt(quote);
        StringBuilder value = new StringBuilder();
        int i = quote + 1;
        while (true) {
            if (i >= source.length() || source.charAt(i) == '\n') {
                throw at(start, "unterminated string");
            }
            char c = source.charAt(i);
            if (c == q) {
                tokens.add(new CelToken(Kind.STRING, value.toString(), start));
                return i + 1;
            }
            if (c == '\\' && !raw) {
                i = escape(source, i, value);
            } else {
                value.append(c);
                i++;
            }
        }
    }

    private static int escape(String source, int backslash, StringBuilder value) {
        if (backslash + 1 >= source.length()) {
            throw at(backslash, "unterminated string");
        }
        char e = source.charAt(backslash + 1);
        switch (e) {
            case '\\', '\'', '"', '`', '?' -> value.append(e);
            case 'n' -> value.append('\n');
            case 'r' -> value.append('\r');
            case 't' -> value.append('\t');
            case 'a' -> value.append('\u0007');
            case 'b' -> value.append('\b');
            case 'f' -> value.append('\f');
            case 'v' -> value.append('\u000b');
            case 'x', 'u' -> {
                int length = e == 'x' ? 2 : 4;
                int end = backslash + 2 + length;
                if (end > source.length()) {
                    throw at(backslash, "incomplete escape \\" + e);
                }
                try {
                    value.append((char) Integer.parseInt(source.substring(backslash + 2, end), 16));
                } catch (NumberFormatException ex) {
                    throw at(backslash, "invalid escape \\" + source.substring(backslash + 1, end));
                }
                return end;
            }
            default -> throw at(backslash, "invalid escape \\" + e);
        }
        return backslash + 2;
    }

    private static int operator(String source, int i, List<CelToken> tokens) {
        for (String op : OPERATORS) {
            if (source.startsWith(op, i)) {
                tokens.add(new CelToken(Kind.OPERATOR, op, i));
                return i + op.length();
            }
        }
        char c = source.charAt(i);
        String hint = switch (c) {
            case '=' -> " (compare with ==)";
            case '&' -> " (and is &&)";
            case '|' -> " (or is ||)";
            default -> "";
        };
        throw at(i, "unexpected character '" + c + "'" + hint);
    }

    private static dev.weft.proxy.config.ConfigException at(int position, String message) {
        return CelParser.error(new CelToken(Kind.END, "", position), message);
    }
}
