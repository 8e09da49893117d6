package io.multiprocessing4j.serial;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The values of the pickle tests: {@link #values()} mirrors {@code VALUES} of
 * {@code pickle_peer.py} item by item, and {@link #diff} compares two decoded values
 * strictly (classes, float bits, map order, element by element).
 */
final class PickleValues {
    private PickleValues() {}

    static final long NAN_WITH_PAYLOAD = 0x7ff8000000000123L;

    @SafeVarargs
    static <T> ArrayList<Object> list(T... items) { return new ArrayList<>(Arrays.asList(items)); }

    static LinkedHashMap<Object, Object> map(Object... kv) {
        LinkedHashMap<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    static LinkedHashSet<Object> set(Object... items) { return new LinkedHashSet<>(Arrays.asList(items)); }

    static byte[] every256Twice() {
        byte[] b = new byte[512];
        for (int i = 0; i < b.length; i++) b[i] = (byte) i;
        return b;
    }

    /** A fresh copy of the mirror of Python's VALUES (the last item: shared and self references). */
    static List<Object> values() {
        ArrayList<Object> shared = list(1);
        ArrayList<Object> me = new ArrayList<>();
        me.add(me);
        LinkedHashMap<Object, Object> d = new LinkedHashMap<>();
        d.put("self", d);
        ZoneOffset plus530 = ZoneOffset.ofHoursMinutes(5, 30);
        return list(
                null, true, false,
                0, 1, -1, 255, 256, 65535, 65536, Integer.MAX_VALUE, Integer.MIN_VALUE, 2147483648L, -2147483649L,
                Long.MAX_VALUE, Long.MIN_VALUE, BigInteger.TWO.pow(63), BigInteger.TWO.pow(100).negate(), BigInteger.TEN.pow(40),
                0.0, -0.0, 1.5, -2.25e-300, Double.MIN_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Double.NaN, Double.longBitsToDouble(NAN_WITH_PAYLOAD),
                "", "ascii", "h\u00e9", "\u65e5\u672c", "\uD83D\uDE00", "a\uD800b", "nul\u0000 back\\slash \n line",
                new byte[0], new byte[] {0, -1, 16}, every256Twice(), Bytearray.of(new byte[] {'a', 'b'}), Bytearray.of(new byte[0]),
                Tuple.of(), Tuple.of(1), Tuple.of(1, 2), Tuple.of(1, 2, 3), Tuple.of(1, 2, 3, 4), list(), list(1, list(2, list(3, Tuple.of()))), map(),
                map("b", 1, "a", 2, 3, "c", Tuple.of(1, 2), null, null, list(1.5)), set(), set(1, "x", Tuple.of(2, 3)), FrozenSet.of(), FrozenSet.of(1, 2),
                LocalDateTime.of(2024, 2, 29, 23, 59, 59, 999_999_000), LocalDateTime.of(1, 1, 1, 0, 0), LocalDateTime.of(9999, 12, 31, 23, 59, 59),
                OffsetDateTime.of(2024, 5, 6, 7, 8, 9, 10_000, plus530), OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(-8)),
                OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
                LocalDate.of(2024, 2, 29), LocalTime.of(0, 0), LocalTime.of(23, 59, 59, 1000), OffsetTime.of(12, 0, 0, 0, ZoneOffset.ofHours(1)),
                Duration.ZERO, Duration.ofDays(-3).plusSeconds(5).plusNanos(6000), Duration.ofDays(999_999_999),
                new BigDecimal("3.14159"), new BigDecimal("-1E+10"), new BigDecimal("0.000"),
                new Complex(1.5, -2), new Complex(0, -0.0),
                new int[] {1, -2, Integer.MAX_VALUE}, new long[] {1L << 62, -1}, new double[] {0.5, -0.0}, new float[] {1.5f}, new short[] {-3, 32767},
                PythonObject.create("__main__", "Point", Tuple.of(), map("x", 1, "y", "two")), PythonObject.call("builtins", "KeyError", "missing"),
                list(shared, shared, me, d));
    }

    /** Null when {@code actual} is {@code expected}, value by value and class by class; else where they differ. */
    static String diff(Object expected, Object actual) {
        return diff(expected, actual, "v", new IdentityHashMap<>());
    }

    private static String diff(Object e, Object a, String path, IdentityHashMap<Object, Object> seen) {
        if (e == null || a == null) return e == a ? null : path + ": " + describe(e) + " != " + describe(a);
        if (seen.containsKey(e)) return seen.get(e) == a ? null : path + ": a shared or self reference was not kept";
        if (e.getClass() != a.getClass() && !(e instanceof PythonObject || e instanceof Set<?> && !(e instanceof FrozenSet) && a instanceof LinkedHashSet<?>
                || e instanceof List<?> && !(e instanceof Tuple) && a instanceof ArrayList<?> || e instanceof Map<?, ?> && a instanceof LinkedHashMap<?, ?>)) {
            return path + ": class " + e.getClass().getName() + " != " + a.getClass().getName();
        }
        switch (e) {
            case Double d -> { return Double.doubleToRawLongBits(d) == Double.doubleToRawLongBits((Double) a) ? null : path + ": " + d + " != " + a + " (bits)"; }
            case Complex c -> {
                Complex b = (Complex) a;
                return Double.doubleToRawLongBits(c.real()) == Double.doubleToRawLongBits(b.real())
                        && Double.doubleToRawLongBits(c.imag()) == Double.doubleToRawLongBits(b.imag()) ? null : path + ": " + c + " != " + b;
            }
            case double[] x -> {
                double[] y = (double[]) a;
                boolean same = x.length == y.length;
                for (int i = 0; same && i < x.length; i++) same = Double.doubleToRawLongBits(x[i]) == Double.doubleToRawLongBits(y[i]);
                return same ? null : path + ": " + Arrays.toString(x) + " != " + Arrays.toString(y);
            }
            case float[] x -> {
                float[] y = (float[]) a;
                boolean same = x.length == y.length;
                for (int i = 0; same && i < x.length; i++) same = Float.floatToRawIntBits(x[i]) == Float.floatToRawIntBits(y[i]);
                return same ? null : path + ": " + Arrays.toString(x) + " != " + Arrays.toString(y);
            }
            case PythonObject o -> {
                if (!(a instanceof PythonObject b)) return path + ": " + describe(e) + " != " + describe(a);
                seen.put(e, a);
                if (!o.type().equals(b.type()) || o.viaNew() != b.viaNew()) return path + ": " + o + " != " + b;
                String r = diff(o.args(), b.args(), path + ".args", seen);
                if (r == null) r = diff(o.state(), b.state(), path + ".state", seen);
                if (r == null) r = diff(new ArrayList<>(o.items()), new ArrayList<>(b.items()), path + ".items", seen);
                if (r == null) r = diff(new LinkedHashMap<>(o.entries()), new LinkedHashMap<>(b.entries()), path + ".entries", seen);
                return r;
            }
            case List<?> l -> {
                List<?> m = (List<?>) a;
                seen.put(e, a);
                if (l.size() != m.size()) return path + ": length " + l.size() + " != " + m.size();
                for (int i = 0; i < l.size(); i++) {
                    String r = diff(l.get(i), m.get(i), path + "[" + i + "]", seen);
                    if (r != null) return r;
                }
                return null;
            }
            case Map<?, ?> x -> {
                Map<?, ?> y = (Map<?, ?>) a;
                seen.put(e, a);
                String r = diff(new ArrayList<>(x.keySet()), new ArrayList<>(y.keySet()), path + ".keys", new IdentityHashMap<>());
                if (r != null) return r;
                for (Map.Entry<?, ?> en : x.entrySet()) {
                    r = diff(en.getValue(), y.get(en.getKey()), path + "[" + en.getKey() + "]", seen);
                    if (r != null) return r;
                }
                return null;
            }
            default -> {
                return Objects.deepEquals(e, a) ? null : path + ": " + describe(e) + " != " + describe(a);
            }
        }
    }

    static String describe(Object v) {
        if (v == null) return "null";
        String s = v instanceof byte[] b ? Arrays.toString(b) : v instanceof int[] i ? Arrays.toString(i) : v instanceof long[] l ? Arrays.toString(l)
                : v instanceof short[] h ? Arrays.toString(h) : String.valueOf(v);
        return (s.length() > 200 ? s.substring(0, 200) + "..." : s) + " (" + v.getClass().getSimpleName() + ")";
    }
}
