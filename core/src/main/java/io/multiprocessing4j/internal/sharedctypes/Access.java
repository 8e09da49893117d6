package io.multiprocessing4j.internal.sharedctypes;

import io.multiprocessing4j.sharedctypes.TypeCode;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;

import static io.multiprocessing4j.sharedctypes.TypeCode.*;

/**
 * Reads and writes one value of a {@link TypeCode} in memory, with the value rules that
 * {@code TypeCode}'s table states. Accesses are opaque: coherent, never hoisted out of a
 * loop, unordered against other memory; the atomics are volatile.
 */
public final class Access {
    private Access() {}

    private static final VarHandle B = ValueLayout.JAVA_BYTE.varHandle();
    private static final VarHandle S = ValueLayout.JAVA_SHORT.varHandle();
    private static final VarHandle I = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle J = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle F = ValueLayout.JAVA_FLOAT.varHandle();
    private static final VarHandle D = ValueLayout.JAVA_DOUBLE.varHandle();

    /** Whether {@link #getInt} serves {@code c}: its Java values all fit an {@code int}. */
    public static boolean fitsInt(TypeCode c) { return c.isIntegral() && c != UINT && c.size() <= 4; }

    /** The Java array type that bulk copies use: same element size, bits copied as they are. */
    public static Class<?> bulkArrayType(TypeCode c) {
        return switch (c) {
            case CHAR, BYTE, UBYTE -> byte[].class;
            case SHORT, USHORT -> short[].class;
            case WCHAR, INT, UINT -> int[].class;
            case LONG, ULONG, LONGLONG, ULONGLONG -> long[].class;
            case FLOAT -> float[].class;
            case DOUBLE -> double[].class;
        };
    }

    public static long getLong(TypeCode c, MemorySegment m, long off) {
        return switch (c) {
            case BYTE -> (byte) B.getOpaque(m, off);
            case CHAR, UBYTE -> Byte.toUnsignedLong((byte) B.getOpaque(m, off));
            case SHORT -> (short) S.getOpaque(m, off);
            case USHORT -> Short.toUnsignedLong((short) S.getOpaque(m, off));
            case INT -> (int) I.getOpaque(m, off);
            case WCHAR, UINT -> Integer.toUnsignedLong((int) I.getOpaque(m, off));
            case LONG, ULONG, LONGLONG, ULONGLONG -> (long) J.getOpaque(m, off);
            case FLOAT, DOUBLE -> throw unsupported(c, "getLong", "getDouble");
        };
    }

    public static int getInt(TypeCode c, MemorySegment m, long off) {
        if (!fitsInt(c)) throw unsupported(c, "getInt", c.isIntegral() ? "getLong" : "getDouble");
        return (int) getLong(c, m, off);
    }

    public static void setLong(TypeCode c, MemorySegment m, long off, long v) {
        switch (c) {
            case CHAR, BYTE, UBYTE -> B.setOpaque(m, off, (byte) v);
            case SHORT, USHORT -> S.setOpaque(m, off, (short) v);
            case WCHAR -> {
                if (v < 0 || v > Character.MAX_CODE_POINT) throw new IllegalArgumentException("not a code point: " + v);
                I.setOpaque(m, off, (int) v);
            }
            case INT, UINT -> I.setOpaque(m, off, (int) v);
            case LONG, ULONG, LONGLONG, ULONGLONG -> J.setOpaque(m, off, v);
            case FLOAT -> F.setOpaque(m, off, (float) v);
            case DOUBLE -> D.setOpaque(m, off, (double) v);
        }
    }

    public static double getDouble(TypeCode c, MemorySegment m, long off) {
        return switch (c) {
            case FLOAT -> (float) F.getOpaque(m, off);
            case DOUBLE -> (double) D.getOpaque(m, off);
            default -> throw unsupported(c, "getDouble", fitsInt(c) ? "getInt or getLong" : "getLong");
        };
    }

    public static void setDouble(TypeCode c, MemorySegment m, long off, double v) {
        switch (c) {
            case FLOAT -> F.setOpaque(m, off, (float) v);
            case DOUBLE -> D.setOpaque(m, off, v);
            default -> throw new IllegalArgumentException("a floating-point value cannot be stored in " + c
                    + " (Python: 'float' object cannot be interpreted as an integer)");
        }
    }

    /** The value boxed as {@link TypeCode}'s table says. */
    public static Object get(TypeCode c, MemorySegment m, long off) {
        return switch (c) {
            case CHAR -> (byte) B.getOpaque(m, off);
            case WCHAR -> Character.toString((int) I.getOpaque(m, off));
            case BYTE, UBYTE, SHORT, USHORT, INT -> (int) getLong(c, m, off);
            case UINT, LONG, ULONG, LONGLONG, ULONGLONG -> getLong(c, m, off);
            case FLOAT -> (float) F.getOpaque(m, off);
            case DOUBLE -> (double) D.getOpaque(m, off);
        };
    }

    /**
     * Stores a boxed value: any integral {@link Number} (its low bits; {@code BigInteger}
     * too), a {@code Float}/{@code Double}/{@code BigDecimal} for {@code f}/{@code d},
     * a {@code Boolean} as 1/0, a {@code Character} or one-code-point {@code String} for
     * {@code c} (below 256) and {@code u}, a one-byte {@code byte[]} for {@code c}.
     */
    public static void set(TypeCode c, MemorySegment m, long off, Object v) {
        switch (v) {
            case null -> throw new NullPointerException("null cannot be stored in " + c);
            case Float f -> setDouble(c, m, off, f);
            case Double d -> setDouble(c, m, off, d);
            case BigDecimal d -> setDouble(c, m, off, d.doubleValue());
            case BigInteger b -> setLong(c, m, off, b.longValue());
            case Number n -> setLong(c, m, off, n.longValue());
            case Boolean b -> setLong(c, m, off, b ? 1 : 0);
            case Character ch when c == CHAR || c == WCHAR -> setChar(c, m, off, ch);
            case String s when (c == CHAR || c == WCHAR) && s.codePointCount(0, s.length()) == 1 ->
                    setChar(c, m, off, s.codePointAt(0));
            case byte[] b when c == CHAR && b.length == 1 -> B.setOpaque(m, off, b[0]);
            default -> throw new IllegalArgumentException("a " + v.getClass().getSimpleName() + " cannot be stored in " + c
                    + (c == CHAR ? " (give a byte, a char below 256 or a one-byte byte[])" : ""));
        }
    }

    private static void setChar(TypeCode c, MemorySegment m, long off, int codePoint) {
        if (c == CHAR && codePoint > 0xFF) {
            throw new IllegalArgumentException("U+" + Integer.toHexString(codePoint).toUpperCase() + " does not fit " + c + ": give a byte");
        }
        setLong(c, m, off, codePoint);
    }

    /** Atomically adds {@code delta} (wrapping) and returns the previous value; 4- and 8-byte integer codes. */
    public static long getAndAdd(TypeCode c, MemorySegment m, long off, long delta) {
        return switch (c) {
            case INT -> (int) I.getAndAdd(m, off, (int) delta);
            case UINT -> Integer.toUnsignedLong((int) I.getAndAdd(m, off, (int) delta));
            case LONG, ULONG, LONGLONG, ULONGLONG -> (long) J.getAndAdd(m, off, delta);
            default -> throw noAtomics(c);
        };
    }

    /** Atomically sets {@code update} if the stored bits are those of {@code expect}; 4- and 8-byte integer codes. */
    public static boolean compareAndSet(TypeCode c, MemorySegment m, long off, long expect, long update) {
        return switch (c) {
            case INT, UINT -> I.compareAndSet(m, off, (int) expect, (int) update);
            case LONG, ULONG, LONGLONG, ULONGLONG -> J.compareAndSet(m, off, expect, update);
            default -> throw noAtomics(c);
        };
    }

    /** What {@link #getLong} would read after storing {@code v}: {@code v} wrapped to {@code c}. */
    public static long wrap(TypeCode c, long v) {
        return switch (c) {
            case BYTE -> (byte) v;
            case CHAR, UBYTE -> v & 0xFF;
            case SHORT -> (short) v;
            case USHORT -> v & 0xFFFF;
            case INT -> (int) v;
            case WCHAR, UINT -> v & 0xFFFF_FFFFL;
            default -> v;
        };
    }

    private static UnsupportedOperationException noAtomics(TypeCode c) {
        return new UnsupportedOperationException("atomic operations need a 4- or 8-byte integer type code (i, I, l, L, q, Q), not " + c);
    }

    private static UnsupportedOperationException unsupported(TypeCode c, String accessor, String instead) {
        return new UnsupportedOperationException(accessor + " does not apply to " + c + "; use " + instead);
    }
}
