package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.managers.Namespace;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The server side of {@code Namespace}, {@code Value} and {@code Array}: Python's manager
 * keeps a plain attribute bag, a boxed value and an {@code array.array}; so do these.
 */
final class SmallBuiltins {
    private SmallBuiltins() {}

    /** A manager's {@code Value(code, v)}: a value and the type code it was made with. */
    static final class ValueHolder implements Serializable {
        @Serial private static final long serialVersionUID = 1L;
        final char code;
        Object value;

        ValueHolder(char code, Object value) {
            this.code = code;
            this.value = coerce(code, value);
        }
    }

    /** A manager's {@code Array(code, seq)}: its items, boxed as the type code says. */
    static final class ArrayHolder extends ArrayList<Object> {
        @Serial private static final long serialVersionUID = 1L;
        final char code;

        ArrayHolder(char code) { this.code = code; }
    }

    static Object newNamespace(Object... args) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (args.length > 0 && args[0] != null) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) args[0]).entrySet()) m.put((String) e.getKey(), e.getValue());
        }
        return m;
    }

    static Object newValue(Object... args) { return new ValueHolder((Character) args[0], args[1]); }

    /** {@code args}: the type code, then a collection, a primitive array or a size. */
    static Object newArray(Object... args) {
        char code = (Character) args[0];
        coerce(code, 0); // a bad code fails here
        ArrayHolder items = new ArrayHolder(code);
        switch (args[1]) {
            case Integer n -> { for (int i = 0; i < n; i++) items.add(coerce(code, 0)); }
            case Collection<?> c -> { for (Object o : c) items.add(coerce(code, o)); }
            case Object a when a.getClass().isArray() -> {
                for (int i = 0; i < java.lang.reflect.Array.getLength(a); i++) items.add(coerce(code, java.lang.reflect.Array.get(a, i)));
            }
            default -> throw new IllegalArgumentException("an array is made from a size, a collection or an array, not " + args[1].getClass().getName());
        }
        return items;
    }

    /** {@code v} as the boxed type of type code {@code code}, range-checked as Python's {@code array} does. */
    static Object coerce(char code, Object v) {
        return switch (code) {
            case 'd' -> ((Number) v).doubleValue();
            case 'f' -> ((Number) v).floatValue();
            case 'u' -> v instanceof Character c ? c : ((String) v).charAt(0);
            case 'c' -> v instanceof Byte b ? b : (byte) ((Number) v).intValue();
            case 'b' -> range(v, Byte.MIN_VALUE, Byte.MAX_VALUE).intValue();
            case 'B' -> range(v, 0, 255).intValue();
            case 'h' -> range(v, Short.MIN_VALUE, Short.MAX_VALUE).intValue();
            case 'H' -> range(v, 0, 65535).intValue();
            case 'i' -> range(v, Integer.MIN_VALUE, Integer.MAX_VALUE).intValue();
            case 'I' -> range(v, 0, 0xFFFF_FFFFL).longValue();
            case 'l', 'L', 'q', 'Q' -> ((Number) v).longValue();
            default -> throw new IllegalArgumentException("bad type code '" + code + "' (must be b, B, u, h, H, i, I, l, L, q, Q, f, d or c)");
        };
    }

    private static Number range(Object v, long lo, long hi) {
        if (!(v instanceof Number n) || v instanceof Double || v instanceof Float) {
            throw new IllegalArgumentException("an integer is required, not " + (v == null ? "null" : v.getClass().getName()));
        }
        long x = n.longValue();
        if (x < lo || x > hi) throw new IllegalArgumentException("value " + x + " out of range [" + lo + ", " + hi + "]");
        return n;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> ns(Object self) { return (Map<String, Object>) self; }

    static Map<String, Op> namespace() {
        Map<String, Op> t = new HashMap<>();
        t.put("get", (s, a) -> {
            Map<String, Object> m = ns(s);
            Object v = m.get((String) a[0]);
            if (v == null && !m.containsKey((String) a[0])) throw new NoSuchElementException("'Namespace' object has no attribute '" + a[0] + "'");
            return v;
        });
        t.put("set", (s, a) -> { ns(s).put((String) a[0], a[1]); return null; });
        t.put("delete", (s, a) -> {
            if (!ns(s).containsKey((String) a[0])) throw new NoSuchElementException("'Namespace' object has no attribute '" + a[0] + "'");
            ns(s).remove((String) a[0]);
            return null;
        });
        t.put("has", (s, a) -> ns(s).containsKey((String) a[0]));
        t.put("snapshot", (s, a) -> new LinkedHashMap<>(ns(s)));
        t.put("#getvalue", (s, a) -> new LinkedHashMap<>(ns(s)));
        return Collections.unmodifiableMap(t);
    }

    static Map<String, Op> value() {
        Map<String, Op> t = new HashMap<>();
        t.put("get", (s, a) -> ((ValueHolder) s).value);
        t.put("set", (s, a) -> { ValueHolder h = (ValueHolder) s; h.value = coerce(h.code, a[0]); return null; });
        t.put("code", (s, a) -> ((ValueHolder) s).code);
        t.put("#getvalue", (s, a) -> ((ValueHolder) s).value);
        return Collections.unmodifiableMap(t);
    }

    private static ArrayHolder arr(Object self) { return (ArrayHolder) self; }

    static Map<String, Op> array() {
        Map<String, Op> t = new HashMap<>();
        t.put("length", (s, a) -> arr(s).size());
        t.put("get", (s, a) -> arr(s).get((Integer) a[0]));
        t.put("set", (s, a) -> arr(s).set((Integer) a[0], coerce(arr(s).code, a[1])));
        t.put("code", (s, a) -> arr(s).code);
        t.put("slice", (s, a) -> { // Python's bounds: negative from the end, cut to the array
            ArrayHolder l = arr(s);
            int[] r = bounds(l.size(), (Integer) a[0], (Integer) a[1]);
            return new ArrayList<>(l.subList(r[0], Math.max(r[0], r[1])));
        });
        t.put("setSlice", (s, a) -> {
            ArrayHolder l = arr(s);
            int[] r = bounds(l.size(), (Integer) a[0], (Integer) a[1]);
            List<?> src = (List<?>) a[2];
            int n = Math.max(0, r[1] - r[0]);
            if (src.size() != n) throw new IllegalArgumentException("can only assign " + n + " values to this slice, not " + src.size());
            for (int i = 0; i < n; i++) l.set(r[0] + i, coerce(arr(s).code, src.get(i)));
            return null;
        });
        t.put("snapshot", (s, a) -> new ArrayList<>(arr(s)));
        t.put("#getvalue", (s, a) -> new ArrayList<>(arr(s)));
        return Collections.unmodifiableMap(t);
    }

    private static int[] bounds(int n, int i, int j) {
        i = i < 0 ? Math.max(0, i + n) : Math.min(i, n);
        j = j < 0 ? Math.max(0, j + n) : Math.min(j, n);
        return new int[] {i, j};
    }
}
