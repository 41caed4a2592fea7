package dev.weft.proxy.accesslog;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A parsed CEL expression: a tree evaluated against one finished request. Values are {@code Long}, {@code String},
 * {@code Boolean}, {@code Duration}, {@code List} and {@link CelMap}; an error is a {@link CelError} value, never an
 * exception.
 */
sealed interface CelNode {

    Object eval(AccessLogContext context);

    record Literal(Object value) implements CelNode {
        @Override
        public Object eval(AccessLogContext context) {
            return value;
        }
    }

    record Attribute(String name, Function<AccessLogContext, Object> reader) implements CelNode {
        @Override
        public Object eval(AccessLogContext context) {
            Object value = reader.apply(context);
            return value == null ? new CelError("no value for attribute " + name) : value;
        }
    }

    /** {@code map.key}: CEL's field selection on a map. */
    record Select(CelNode operand, String field) implements CelNode {
        @Override
        public Object eval(AccessLogContext context) {
            return CelOperators.index(operand.eval(context), field);
        }
    }

    record Index(CelNode operand, CelNode index) implements CelNode {
        @Override
        public Object eval(AccessLogContext context) {
            Object target = operand.eval(context);
            if (target instanceof CelError) {
                return target;
            }
            return CelOperators.index(target, index.eval(context));
        }
    }

    record Not(CelNode operand) implements CelNode {
        @Override
        public Object eval(AccessLogContext context) {
            Object value = operand.eval(context);
            if (value instanceof Boolean b) {
                return !b;
            }
            return value instanceof CelError ? value : new CelError("no such overload: !" + CelOperators.type(value));
        }
    }

    record Negate(CelNode operand) implements CelNode {
        @Override
        public Object eval(AccessLogContext context) {
            return CelOperators.negate(operand.eval(context));
        }
    }

    /**
     * {@code &&} or {@code ||}: the deciding value (false for {@code &&}, true for {@code ||}) on either side wins
     * over an error on the other, as in CEL.
     */
    record Logical(String operator, CelNode left, CelNode right) implements CelNode {
        @Override
        public Object eval(AccessLogContext context) {
            Boolean decisive = operator.equals("||");
            Object l = left.eval(context);
            if (decisive.equals(l)) {
                return decisive;
            }
            Object r = right.eval(context);
            if (decisive.equals(r)) {
                return decisive;
            }
            return CelOperators.logical(l, r, operator);
        }
    }

    record Conditional(CelNode condition, CelNode then, CelNode otherwise) implements CelNode {
        @Override
        public Object eval(AccessLogContext context) {
            Object c = condition.eval(context);
            if (c instanceof Boolean b) {
                return b ? then.eval(context) : otherwise.eval(context);
            }
            return c instanceof CelError ? c : new CelError("no such overload: " + CelOperators.type(c) + " ? _ : _");
        }
    }

    record Binary(String operator, CelNode left, CelNode right) implements CelNode {
        @Override
        public Object eval(AccessLogContext context) {
            Object l = left.eval(context);
            if (l instanceof CelError) {
                return l;
            }
            Object r = right.eval(context);
            return r instanceof CelError ? r : CelOperators.apply(operator, l, r);
        }
    }

    record ListLiteral(List<CelNode> items) implements CelNode {
        @Override
        public Object eval(AccessLogContext context) {
            List<Object> values = new ArrayList<>(items.size());
            for (CelNode item : items) {
                Object v = item.eval(context);
                if (v instanceof CelError) {
                    return v;
                }
                values.add(v);
            }
            return values;
        }
    }

    /** A function or method call; {@code target} is the receiver of a method, null for a global function. */
    record Call(CelFunctions.Function function, CelNode target, List<CelNode> args) implements CelNode {
        @Override
        public Object eval(AccessLogContext context) {
            Object receiver = null;
            if (target != null) {
                receiver = target.eval(context);
                if (receiver instanceof CelError) {
                    return receiver;
                }
            }
            Object[] values = new Object[args.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = args.get(i).eval(context);
                if (values[i] instanceof CelError) {
                    return values[i];
                }
            }
            return function.apply(receiver, values);
        }
    }
}
