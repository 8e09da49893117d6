package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.serial.Tuple;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/** Python's {@code repr()} of decoded values, and its ordering for {@code list.sort()}. */
final class PyRepr {
    private PyRepr() {}

    static String of(Object o) {
        StringBuilder b = new StringBuilder();
        append(b, o, 0);
        return b.toString();
    }

    private static void append(StringBuilder b, Object o, int depth) {
        if (depth > 100) { b.append("..."); return; }
        switch (o) {
            case null -> b.append("None");
            case Boolean x -> b.append(x ? "True" : "False");
            case String s -> quote(b, s);
            case Double d -> b.append(d.isNaN() ? "nan" : d.isInfinite() ? (d > 0 ? "inf" : "-inf") : d.toString());
            case Tuple t -> items(b, t, "(", t.size() == 1 ? ",)" : ")", depth);
            case Collection<?> c when c instanceof java.util.Set<?> -> items(b, c, "{", "}", depth);
            case Collection<?> c -> items(b, c, "[", "]", depth);
            case Map<?, ?> m -> {
                b.append('{');
                Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
                while (it.hasNext()) {
                    Map.Entry<?, ?> e = it.next();
                    append(b, e.getKey(), depth + 1);
                    b.append(": ");
                    append(b, e.getValue(), depth + 1);
                    if (it.hasNext()) b.append(", ");
                }
                b.append('}');
            }
            default -> b.append(o);
        }
    }

    private static void items(StringBuilder b, Collection<?> c, String open, String close, int depth) {
        b.append(open);
        Iterator<?> it = c.iterator();
        while (it.hasNext()) {
            append(b, it.next(), depth + 1);
            if (it.hasNext()) b.append(", ");
        }
        b.append(close);
    }

    private static void quote(StringBuilder b, String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        b.append(q);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (ch == q) b.append('\\');
                    b.append(ch);
                }
            }
        }
        b.append(q);
    }

    /** Python's {@code <} for the values it orders: numbers with numbers, strings with strings, sequences item by item. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compare(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y && !(a instanceof Boolean) && !(b instanceof Boolean)) {
            boolean integral = !(a instanceof Double || a instanceof Float || b instanceof Double || b instanceof Float);
            return integral ? new java.math.BigInteger(x.toString()).compareTo(new java.math.BigInteger(y.toString()))
                    : Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof java.util.List<?> x && b instanceof java.util.List<?> y) {
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                int c = compare(x.get(i), y.get(i));
                if (c != 0) return c;
            }
            return Integer.compare(x.size(), y.size());
        }
        if (a != null && b != null && a.getClass() == b.getClass() && a instanceof Comparable ca) return ca.compareTo(b);
        throw PyError.typeError("'<' not supported between instances of '" + PyCall.pyType(a) + "' and '" + PyCall.pyType(b) + "'");
    }
}
