package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.serial.Tuple;

import java.util.Map;

/**
 * One call of a CPython client on a managed object: its positional and keyword arguments,
 * read with Python's rules (a parameter given both ways, or one the method does not take, is a
 * {@code TypeError}), and who makes it.
 */
record PyCall(String method, Tuple args, Map<Object, Object> kwds, Owner owner) {
    static final long FOREVER = -1;

    /** Parameter {@code index}, also spelled {@code name}, or {@code dflt} when neither is given. */
    Object arg(int index, String name, Object dflt) {
        boolean positional = index < args.size();
        boolean keyword = name != null && kwds.containsKey(name);
        if (positional && keyword) throw PyError.typeError(method + "() got multiple values for argument '" + name + "'");
        return positional ? args.get(index) : keyword ? kwds.get(name) : dflt;
    }

    /** Like {@link #arg} with no default: a missing argument is a {@code TypeError}. */
    Object required(int index, String name) {
        Object missing = MISSING;
        Object v = arg(index, name, missing);
        if (v == MISSING) throw PyError.typeError(method + "() missing required argument: '" + name + "'");
        return v;
    }

    private static final Object MISSING = new Object();

    /** Refuses more than {@code max} positional arguments or keywords outside {@code names}. */
    PyCall takes(int max, String... names) {
        if (args.size() > max) throw PyError.typeError(method + "() takes at most " + max + " arguments (" + args.size() + " given)");
        for (Object k : kwds.keySet()) {
            if (!java.util.Arrays.asList(names).contains(k)) throw PyError.typeError(method + "() got an unexpected keyword argument '" + k + "'");
        }
        return this;
    }

    static int integer(Object o, String what) {
        if (o instanceof Integer i) return i;
        if (o instanceof Long l && l == l.intValue()) return l.intValue();
        if (o instanceof Boolean b) return b ? 1 : 0;
        throw PyError.typeError(what + " must be an integer, not " + pyType(o));
    }

    static boolean truth(Object o) {
        return switch (o) {
            case null -> false;
            case Boolean b -> b;
            case Number n -> n.doubleValue() != 0;
            case CharSequence s -> !s.isEmpty();
            case java.util.Collection<?> c -> !c.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            default -> true;
        };
    }

    /**
     * A Python timeout in seconds as nanoseconds: {@link #FOREVER} for {@code None} (or,
     * where {@code negativeForever}, any negative number, as {@code Lock.acquire} takes -1).
     */
    static long timeout(Object seconds, boolean negativeForever) {
        if (seconds == null) return FOREVER;
        if (!(seconds instanceof Number n) || seconds instanceof Boolean) throw PyError.typeError("timeout must be a number, not " + pyType(seconds));
        double s = n.doubleValue();
        if (Double.isNaN(s)) throw PyError.valueError("Invalid value NaN (not a number)");
        if (s < 0) {
            if (negativeForever) return FOREVER;
            throw PyError.valueError("'timeout' must be a non-negative number");
        }
        return s >= Long.MAX_VALUE / 1e9 ? FOREVER : (long) (s * 1e9);
    }

    static String pyType(Object o) {
        return switch (o) {
            case null -> "NoneType";
            case Boolean b -> "bool";
            case Integer i -> "int";
            case Long l -> "int";
            case java.math.BigInteger b -> "int";
            case Double d -> "float";
            case String s -> "str";
            case byte[] b -> "bytes";
            case Tuple t -> "tuple";
            case java.util.List<?> l -> "list";
            case Map<?, ?> m -> "dict";
            case java.util.Set<?> s -> "set";
            default -> o.getClass().getSimpleName();
        };
    }
}
