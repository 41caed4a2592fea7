package dev.weft.proxy.accesslog;

import dev.weft.proxy.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Parses the subset of CEL that access log filters are written in (CEL's grammar and precedence): literals (ints,
 * strings, bools, lists), Envoy's attributes ({@link CelAttributes}), map and list indexing, {@code ! -}, {@code * / %},
 * {@code + -}, comparisons and {@code in}, {@code && ||}, {@code ?:}, parentheses and {@link CelFunctions}. Every
 * attribute and function is resolved here, so an unknown one is a config error, never a surprise per request.
 * Errors say what was found and at which column (1-based).
 */
final class CelParser {

    private static final int MAX_DEPTH = 64;
    private static final Set<String> RELATIONS = Set.of("==", "!=", "<", "<=", ">", ">=", "in");

    private final List<CelToken> tokens;
    private int next;
    private int depth;

    private CelParser(List<CelToken> tokens) {
        this.tokens = tokens;
    }

    static CelNode parse(String source) {
        CelParser parser = new CelParser(CelToken.scan(source));
        CelNode node = parser.expression();
        CelToken end = parser.peek();
        if (end.kind() != CelToken.Kind.END) {
            throw error(end, "unexpected " + end.describe());
        }
        return node;
    }

    private CelNode expression() {
        return nested(() -> {
            CelNode condition = or();
            if (!accept("?")) {
                return condition;
            }
            CelNode then = or();
            expect(":");
            return new CelNode.Conditional(condition, then, expression());
        });
    }

    /** Bounds recursion, so a hostile expression is a config error rather than a stack overflow. */
    private CelNode nested(Supplier<CelNode> rule) {
        if (++depth > MAX_DEPTH) {
            throw error(peek(), "expression nests deeper than " + MAX_DEPTH + " levels");
        }
        CelNode node = rule.get();
        depth--;
        return node;
    }

    private CelNode or() {
        CelNode left = and();
        while (accept("||")) {
            left = new CelNode.Logical("||", left, and());
        }
        return left;
    }

    private CelNode and() {
        CelNode left = relation();
        while (accept("&&")) {
            left = new CelNode.Logical("&&", left, relation());
        }
        return left;
    }

    private CelNode relation() {
        CelNode left = addition();
        while (peek().isOperator() && RELATIONS.contains(peek().text())) {
            left = new CelNode.Binary(take().text(), left, addition());
        }
        return left;
    }

    private CelNode addition() {
        CelNode left = multiplication();
        while (peek().isOperator("+") || peek().isOperator("-")) {
            left = new CelNode.Binary(take().text(), left, multiplication());
        }
        return left;
    }

    private CelNode multiplication() {
        CelNode left = unary();
        while (peek().isOperator("*") || peek().isOperator("/") || peek().isOperator("%")) {
            left = new CelNode.Binary(take().text(), left, unary());
        }
        return left;
    }

    private CelNode unary() {
        if (accept("!")) {
            return new CelNode.Not(nested(this::unary));
        }
        if (peek().isOperator("-")) {
            CelToken minus = take();
            if (peek().kind() == CelToken.Kind.INT && peek().position() == minus.position() + 1) {
                return new CelNode.Literal(CelToken.intValue("-" + take().text(), minus));
            }
            return new CelNode.Negate(nested(this::unary));
        }
        return member();
    }

    private CelNode member() {
        CelNode node = primary();
        while (true) {
            if (accept(".")) {
                CelToken name = expectIdentifier();
                if (accept("(")) {
                    List<CelNode> args = arguments(")");
                    node = call(name, node, args);
                } else {
                    node = new CelNode.Select(node, name.text());
                }
            } else if (accept("[")) {
                CelNode index = expression();
                expect("]");
                node = new CelNode.Index(node, index);
            } else {
                return node;
            }
        }
    }

    private CelNode primary() {
        CelToken t = take();
        switch (t.kind()) {
            case INT:
                return new CelNode.Literal(CelToken.intValue(t.text(), t));
            case STRING:
                return new CelNode.Literal(t.text());
            case IDENTIFIER:
                return identifier(t);
            default:
                break;
        }
        if (t.isOperator("(")) {
            CelNode inner = expression();
            expect(")");
            return inner;
        }
        if (t.isOperator("[")) {
            return new CelNode.ListLiteral(arguments("]"));
        }
        throw error(t, "unexpected " + t.describe());
    }

    /** A literal keyword, a function call, or an attribute path such as {@code request.headers}. */
    private CelNode identifier(CelToken first) {
        switch (first.text()) {
            case "true":
                return new CelNode.Literal(true);
            case "false":
                return new CelNode.Literal(false);
            case "null":
                throw error(first, "null is not supported in access log filters");
            default:
                break;
        }
        if (accept("(")) {
            return call(first, null, arguments(")"));
        }
        if (!CelAttributes.isRoot(first.text())) {
            throw error(first, "unknown identifier '" + first.text() + "'");
        }
        String path = first.text();
        while (peek().isOperator(".") && peekAt(1).kind() == CelToken.Kind.IDENTIFIER && !peekAt(2).isOperator("(")) {
            String longer = path + "." + peekAt(1).text();
            if (CelAttributes.reader(longer) == null && !CelAttributes.isRoot(longer)) {
                break;
            }
            take();
            take();
            path = longer;
        }
        Function<AccessLogContext, Object> reader = CelAttributes.reader(path);
        if (reader == null) {
            String unknown = peek().isOperator(".") && peekAt(1).kind() == CelToken.Kind.IDENTIFIER
                    ? path + "." + peekAt(1).text() : path;
            throw error(first, "unknown attribute '" + unknown + "'");
        }
        return new CelNode.Attribute(path, reader);
    }

    /** Resolves the function now; one whose arguments are all literals is evaluated now too (a bad duration fails here). */
    private CelNode call(CelToken name, CelNode target, List<CelNode> args) {
        CelFunctions.Function function;
        try {
            function = CelFunctions.resolve(name.text(), target != null, args);
        } catch (ConfigException e) {
            throw error(name, e.getMessage());
        }
        CelNode call = new CelNode.Call(function, target, args);
        boolean constant = (target == null || target instanceof CelNode.Literal)
                && args.stream().allMatch(a -> a instanceof CelNode.Literal);
        if (!constant) {
            return call;
        }
        Object value = call.eval(null);
        if (value instanceof CelError e) {
            throw error(name, e.message());
        }
        return new CelNode.Literal(value);
    }

    private List<CelNode> arguments(String close) {
        List<CelNode> args = new ArrayList<>();
        if (accept(close)) {
            return args;
        }
        do {
            if (close.equals("]") && peek().isOperator("]")) {
                break; // a trailing comma in a list
            }
            args.add(expression());
        } while (accept(","));
        expect(close);
        return args;
    }

    private CelToken peek() {
        return tokens.get(next);
    }

    private CelToken peekAt(int ahead) {
        return tokens.get(Math.min(next + ahead, tokens.size() - 1));
    }

    private CelToken take() {
        CelToken t = tokens.get(next);
        if (t.kind() != CelToken.Kind.END) {
            next++;
        }
        return t;
    }

    private boolean accept(String operator) {
        if (peek().isOperator(operator)) {
            next++;
            return true;
        }
        return false;
    }

    private void expect(String operator) {
        if (!accept(operator)) {
            throw error(peek(), "expected '" + operator + "' but found " + peek().describe());
        }
    }

    private CelToken expectIdentifier() {
        CelToken t = take();
        if (t.kind() != CelToken.Kind.IDENTIFIER) {
            throw error(t, "expected a field or method name but found " + t.describe());
        }
        return t;
    }

    static ConfigException error(CelToken at, String message) {
        return new ConfigException(message + " at column " + (at.position() + 1));
    }
}
