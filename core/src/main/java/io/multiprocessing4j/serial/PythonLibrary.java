package io.multiprocessing4j.serial;

import java.io.StreamCorruptedException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The Python library types the pickle codec maps, both ways: what a {@code REDUCE} of a
 * known callable with these arguments becomes in Java ({@link #construct}), and how a Java
 * value of a mapped library type is written as such a call ({@link #toPython}). The facts
 * used are the forms CPython's own {@code __reduce__}s produce: {@code datetime}'s packed
 * bytes, {@code Decimal(str)}, {@code complex(real, imag)}, {@code array}'s machine formats.
 */
final class PythonLibrary {
    private PythonLibrary() {}

    /** What {@link #construct} returns for a call it does not map: the decoder keeps it as a {@link PythonObject}. */
    static final Object NOT_MAPPED = new Object();

    private static final PythonGlobal ARRAY = new PythonGlobal("array", "array");

    /** The value of {@code g(*args)} for the callables this codec maps, or {@link #NOT_MAPPED}. */
    static Object construct(PythonGlobal g, Tuple a) throws StreamCorruptedException {
        String name = g.name();
        return switch (g.module()) {
            case "builtins" -> switch (name) {
                case "set" -> a.isEmpty() ? new LinkedHashSet<>() : a.size() == 1 && a.get(0) instanceof Collection<?> c ? hashables(c) : NOT_MAPPED;
                case "frozenset" -> a.isEmpty() ? FrozenSet.of() : a.size() == 1 && a.get(0) instanceof Collection<?> c ? FrozenSet.wrap(hashables(c)) : NOT_MAPPED;
                case "list" -> a.isEmpty() ? new ArrayList<>() : a.size() == 1 && a.get(0) instanceof Collection<?> c ? new ArrayList<Object>(c) : NOT_MAPPED;
                case "tuple" -> a.isEmpty() ? Tuple.of() : a.size() == 1 && a.get(0) instanceof Collection<?> c ? Tuple.copyOf(c) : NOT_MAPPED;
                case "dict" -> a.isEmpty() ? new LinkedHashMap<>() : a.size() == 1 && a.get(0) instanceof Map<?, ?> m ? new LinkedHashMap<Object, Object>(m) : NOT_MAPPED;
                case "bytes" -> a.isEmpty() ? new byte[0] : a.size() == 1 && a.get(0) instanceof byte[] b ? b : NOT_MAPPED;
                case "bytearray" -> {
                    if (a.isEmpty()) yield Bytearray.wrap(new byte[0]);
                    if (a.size() == 1 && a.get(0) instanceof byte[] b) yield Bytearray.wrap(b.clone());
                    Object b = a.size() == 2 ? encodeText(a.get(0), a.get(1)) : NOT_MAPPED;
                    yield b instanceof byte[] bytes ? Bytearray.wrap(bytes) : NOT_MAPPED;
                }
                case "complex" -> a.size() == 2 && a.get(0) instanceof Number re && a.get(1) instanceof Number im
                        ? new Complex(re.doubleValue(), im.doubleValue()) : NOT_MAPPED;
                default -> NOT_MAPPED;
            };
            case "_codecs" -> name.equals("encode") && a.size() == 2 ? encodeText(a.get(0), a.get(1)) : NOT_MAPPED;
            case "collections" -> name.equals("OrderedDict") ? orderedDict(a) : NOT_MAPPED;
            case "decimal" -> name.equals("Decimal") && a.size() == 1 && a.get(0) instanceof String s ? decimal(s) : NOT_MAPPED;
            case "datetime" -> datetime(name, a);
            case "array" -> switch (name) {
                case "_array_reconstructor" -> a.size() == 4 && ARRAY.equals(a.get(0)) && a.get(1) instanceof String tc
                        && a.get(2) instanceof Integer mf && a.get(3) instanceof byte[] b ? fromMachine(tc, mf, b) : NOT_MAPPED;
                case "array" -> a.size() == 2 && a.get(0) instanceof String tc && a.get(1) instanceof List<?> l ? fromList(tc, l) : NOT_MAPPED;
                default -> NOT_MAPPED;
            };
            default -> NOT_MAPPED;
        };
    }

    /** {@code _codecs.encode(text, encoding)}: how protocols 0-2 spell bytes (latin-1 text). */
    private static Object encodeText(Object text, Object encoding) throws StreamCorruptedException {
        if (!(text instanceof String s) || !(encoding instanceof String enc)) return NOT_MAPPED;
        switch (enc.toLowerCase(java.util.Locale.ROOT).replace('_', '-')) {
            case "latin1", "latin-1", "iso-8859-1", "iso8859-1", "l1" -> {
                byte[] b = new byte[s.length()];
                for (int i = 0; i < b.length; i++) {
                    char c = s.charAt(i);
                    if (c > 0xff) throw new StreamCorruptedException("a latin-1 encoded bytes value holds U+" + Integer.toHexString(c));
                    b[i] = (byte) c;
                }
                return b;
            }
            case "utf-8", "utf8" -> { return s.getBytes(StandardCharsets.UTF_8); }
            case "ascii", "us-ascii" -> {
                for (int i = 0; i < s.length(); i++) if (s.charAt(i) > 0x7f) throw new StreamCorruptedException("an ascii encoded bytes value holds non-ascii text");
                return s.getBytes(StandardCharsets.US_ASCII);
            }
            default -> { return NOT_MAPPED; }
        }
    }

    private static LinkedHashSet<Object> hashables(Collection<?> c) throws StreamCorruptedException {
        LinkedHashSet<Object> s = new LinkedHashSet<>();
        for (Object o : c) s.add(Unpickler.hashable(o));
        return s;
    }

    private static Object orderedDict(Tuple a) throws StreamCorruptedException {
        if (a.isEmpty()) return new LinkedHashMap<>();
        if (a.size() != 1 || !(a.get(0) instanceof List<?> pairs)) return NOT_MAPPED;
        LinkedHashMap<Object, Object> m = new LinkedHashMap<>();
        for (Object p : pairs) {
            if (!(p instanceof List<?> kv) || kv.size() != 2) return NOT_MAPPED;
            m.put(Unpickler.hashable(kv.get(0)), kv.get(1));
        }
        return m;
    }

    private static Object decimal(String s) {
        try {
            return new BigDecimal(s.strip().replace("_", ""));
        } catch (NumberFormatException e) {
            return NOT_MAPPED; // NaN, Infinity: a Python Decimal with no BigDecimal, kept as it is
        }
    }

    // ------------------------------------------------------------------------------ datetime

    private static Object datetime(String name, Tuple a) throws StreamCorruptedException {
        try {
            switch (name) {
                case "timedelta" -> {
                    if (a.size() != 3 || !(a.get(0) instanceof Integer d) || !(a.get(1) instanceof Integer s) || !(a.get(2) instanceof Integer us)) return NOT_MAPPED;
                    return Duration.ofDays(d).plusSeconds(s).plusNanos(us * 1000L);
                }
                case "timezone" -> {
                    if (a.size() != 1 || !(a.get(0) instanceof Duration off) || off.getNano() != 0
                            || Math.abs(off.getSeconds()) > 18 * 3600) return NOT_MAPPED;
                    return ZoneOffset.ofTotalSeconds((int) off.getSeconds());
                }
                case "date" -> {
                    byte[] b = packed(a, 4);
                    if (b == null || a.size() != 1) return NOT_MAPPED;
                    return LocalDate.of((b[0] & 0xff) << 8 | b[1] & 0xff, b[2], b[3]);
                }
                case "datetime" -> {
                    byte[] b = packed(a, 10);
                    if (b == null || a.size() > 2) return NOT_MAPPED;
                    LocalDateTime t = LocalDateTime.of((b[0] & 0xff) << 8 | b[1] & 0xff, b[2] & 0x7f, b[3], b[4], b[5], b[6], micros(b, 7) * 1000);
                    if (a.size() == 1 || a.get(1) == null) return t;
                    return a.get(1) instanceof ZoneOffset z ? OffsetDateTime.of(t, z) : NOT_MAPPED;
                }
                case "time" -> {
                    byte[] b = packed(a, 6);
                    if (b == null || a.size() > 2) return NOT_MAPPED;
                    LocalTime t = LocalTime.of(b[0] & 0x7f, b[1], b[2], micros(b, 3) * 1000);
                    if (a.size() == 1 || a.get(1) == null) return t;
                    return a.get(1) instanceof ZoneOffset z ? OffsetTime.of(t, z) : NOT_MAPPED;
                }
                default -> { return NOT_MAPPED; }
            }
        } catch (DateTimeException | ArithmeticException e) {
            throw new StreamCorruptedException("bad datetime." + name + " state: " + e.getMessage());
        }
    }

    /** The packed state of a date/datetime/time: bytes, or (Python 2's form) a latin-1 str. */
    private static byte[] packed(Tuple a, int length) {
        if (a.isEmpty()) return null;
        Object s = a.get(0);
        byte[] b = null;
        if (s instanceof byte[] bytes) b = bytes;
        else if (s instanceof String str && str.chars().allMatch(c -> c <= 0xff)) b = str.getBytes(StandardCharsets.ISO_8859_1);
        return b != null && b.length == length ? b : null;
    }

    private static int micros(byte[] b, int at) { return (b[at] & 0xff) << 16 | (b[at + 1] & 0xff) << 8 | b[at + 2] & 0xff; }

    // ------------------------------------------------------------------------------ array

    /** Machine format codes of {@code array._array_reconstructor}: little-endian, big-endian is one more. */
    private static final int INT16_LE = 4, INT32_LE = 8, INT64_LE = 12, FLOAT_LE = 14, DOUBLE_LE = 16;

    private static Object fromMachine(String typecode, int format, byte[] b) throws StreamCorruptedException {
        int le = format & ~1;
        ByteOrder order = (format & 1) == 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        int size = switch (typecode) { case "h" -> 2; case "i", "f" -> 4; case "l", "q", "d" -> 8; default -> 0; };
        int want = switch (typecode) { case "h" -> INT16_LE; case "i" -> INT32_LE; case "l", "q" -> INT64_LE; case "f" -> FLOAT_LE; case "d" -> DOUBLE_LE; default -> -1; };
        if (size == 0 || le != want || format > DOUBLE_LE + 1) return NOT_MAPPED;
        if (b.length % size != 0) throw new StreamCorruptedException("array data of " + b.length + " bytes for typecode " + typecode);
        ByteBuffer buf = ByteBuffer.wrap(b).order(order);
        int n = b.length / size;
        return switch (typecode) {
            case "h" -> { short[] r = new short[n]; buf.asShortBuffer().get(r); yield r; }
            case "i" -> { int[] r = new int[n]; buf.asIntBuffer().get(r); yield r; }
            case "f" -> { float[] r = new float[n]; buf.asFloatBuffer().get(r); yield r; }
            case "d" -> { double[] r = new double[n]; buf.asDoubleBuffer().get(r); yield r; }
            default -> { long[] r = new long[n]; buf.asLongBuffer().get(r); yield r; }
        };
    }

    /** Protocols 0-2: {@code array.array(typecode, [items])}. */
    private static Object fromList(String typecode, List<?> l) {
        int n = l.size();
        try {
            switch (typecode) {
                case "h" -> {
                    short[] r = new short[n];
                    for (int i = 0; i < n; i++) {
                        int x = (Integer) l.get(i);
                        if (x != (short) x) return NOT_MAPPED;
                        r[i] = (short) x;
                    }
                    return r;
                }
                case "i" -> { int[] r = new int[n]; for (int i = 0; i < n; i++) r[i] = (Integer) l.get(i); return r; }
                case "l", "q" -> { long[] r = new long[n]; for (int i = 0; i < n; i++) r[i] = ((Number) l.get(i)).longValue(); return r; }
                case "f" -> { float[] r = new float[n]; for (int i = 0; i < n; i++) r[i] = (float) (double) (Double) l.get(i); return r; }
                case "d" -> { double[] r = new double[n]; for (int i = 0; i < n; i++) r[i] = (Double) l.get(i); return r; }
                default -> { return NOT_MAPPED; }
            }
        } catch (ClassCastException | ArithmeticException e) {
            return NOT_MAPPED;
        }
    }

    // ------------------------------------------------------------------------------ Java to Python

    /** The call that writes {@code v} for Python, for the library types mapped here; null for any other value. */
    static PythonObject toPython(Object v, int protocol) throws Codec.NotSerializableException {
        return switch (v) {
            case Complex c -> PythonObject.call("builtins", "complex", c.real(), c.imag());
            case BigDecimal d -> PythonObject.call("decimal", "Decimal", d.toString());
            case LocalDate d -> PythonObject.call("datetime", "date", (Object) dateBytes(d, new byte[4]));
            case LocalDateTime t -> PythonObject.call("datetime", "datetime", (Object) dateTimeBytes(t));
            case OffsetDateTime t -> PythonObject.call("datetime", "datetime", dateTimeBytes(t.toLocalDateTime()), t.getOffset());
            case LocalTime t -> PythonObject.call("datetime", "time", (Object) timeBytes(t, new byte[6], 0));
            case OffsetTime t -> PythonObject.call("datetime", "time", timeBytes(t.toLocalTime(), new byte[6], 0), t.getOffset());
            case ZoneOffset z -> PythonObject.call("datetime", "timezone", Duration.ofSeconds(z.getTotalSeconds()));
            case Duration d -> timedelta(d);
            case short[] a -> array("h", INT16_LE, a.length, 2, protocol, a);
            case int[] a -> array("i", INT32_LE, a.length, 4, protocol, a);
            case long[] a -> array("q", INT64_LE, a.length, 8, protocol, a);
            case float[] a -> array("f", FLOAT_LE, a.length, 4, protocol, a);
            case double[] a -> array("d", DOUBLE_LE, a.length, 8, protocol, a);
            default -> null;
        };
    }

    private static byte[] dateBytes(LocalDate d, byte[] b) throws Codec.NotSerializableException {
        int y = d.getYear();
        if (y < 1 || y > 9999) throw new Codec.NotSerializableException(d.getClass().getName() + " with year " + y + " (Python's datetime holds 1 to 9999)");
        b[0] = (byte) (y >> 8);
        b[1] = (byte) y;
        b[2] = (byte) d.getMonthValue();
        b[3] = (byte) d.getDayOfMonth();
        return b;
    }

    private static byte[] dateTimeBytes(LocalDateTime t) throws Codec.NotSerializableException {
        byte[] b = dateBytes(t.toLocalDate(), new byte[10]);
        timeBytes(t.toLocalTime(), b, 4);
        return b;
    }

    /** Python's time has microseconds: nanoseconds below them are dropped. */
    private static byte[] timeBytes(LocalTime t, byte[] b, int at) {
        int us = t.getNano() / 1000;
        b[at] = (byte) t.getHour();
        b[at + 1] = (byte) t.getMinute();
        b[at + 2] = (byte) t.getSecond();
        b[at + 3] = (byte) (us >> 16);
        b[at + 4] = (byte) (us >> 8);
        b[at + 5] = (byte) us;
        return b;
    }

    private static PythonObject timedelta(Duration d) throws Codec.NotSerializableException {
        long seconds = d.getSeconds(); // the nanosecond part is never negative
        long days = Math.floorDiv(seconds, 86_400L);
        if (Math.abs(days) > 999_999_999L) throw new Codec.NotSerializableException("java.time.Duration of " + days + " days (Python's timedelta holds 999999999)");
        return PythonObject.call("datetime", "timedelta", (int) days, (int) Math.floorMod(seconds, 86_400L), d.getNano() / 1000);
    }

    private static PythonObject array(String typecode, int format, int n, int size, int protocol, Object a) {
        if (protocol < 3) {
            List<Object> items = new ArrayList<>(n);
            for (int i = 0; i < n; i++) items.add(java.lang.reflect.Array.get(a, i));
            return PythonObject.call("array", "array", typecode, items);
        }
        ByteBuffer b = ByteBuffer.allocate(n * size).order(ByteOrder.LITTLE_ENDIAN);
        switch (a) {
            case short[] s -> b.asShortBuffer().put(s);
            case int[] s -> b.asIntBuffer().put(s);
            case long[] s -> b.asLongBuffer().put(s);
            case float[] s -> b.asFloatBuffer().put(s);
            case double[] s -> b.asDoubleBuffer().put(s);
            default -> throw new IllegalArgumentException(a.getClass().getName());
        }
        return PythonObject.call("array", "_array_reconstructor", ARRAY, typecode, format, b.array());
    }
}
