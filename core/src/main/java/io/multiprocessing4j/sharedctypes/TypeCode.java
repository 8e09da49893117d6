package io.multiprocessing4j.sharedctypes;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Python's {@code array}-module type codes, as {@code multiprocessing.sharedctypes} reads
 * them, with CPython's {@code ctypes} sizes on 64-bit Linux. Values are stored in native
 * byte order (little-endian on the supported platforms) at their natural alignment.
 *
 * <table class="striped">
 * <caption>Type codes and their Java values</caption>
 * <tr><th>code</th><th>ctypes</th><th>bytes</th><th>Java value ({@code getLong}/{@code getInt}/{@code getDouble})</th><th>{@code get()} boxes as</th></tr>
 * <tr><td>{@code c}</td><td>c_char</td><td>1</td><td>0..255 (the byte, unsigned, like {@code ord})</td><td>{@code Byte}</td></tr>
 * <tr><td>{@code u}</td><td>c_wchar</td><td>4</td><td>a Unicode code point (UTF-32)</td><td>{@code String} of one code point</td></tr>
 * <tr><td>{@code b}</td><td>c_byte</td><td>1</td><td>-128..127</td><td>{@code Integer}</td></tr>
 * <tr><td>{@code B}</td><td>c_ubyte</td><td>1</td><td>0..255</td><td>{@code Integer}</td></tr>
 * <tr><td>{@code h}</td><td>c_short</td><td>2</td><td>-32768..32767</td><td>{@code Integer}</td></tr>
 * <tr><td>{@code H}</td><td>c_ushort</td><td>2</td><td>0..65535</td><td>{@code Integer}</td></tr>
 * <tr><td>{@code i}</td><td>c_int</td><td>4</td><td>{@code int} range</td><td>{@code Integer}</td></tr>
 * <tr><td>{@code I}</td><td>c_uint</td><td>4</td><td>0..2<sup>32</sup>-1 (as {@code long})</td><td>{@code Long}</td></tr>
 * <tr><td>{@code l}, {@code q}</td><td>c_long, c_longlong</td><td>8</td><td>{@code long} range</td><td>{@code Long}</td></tr>
 * <tr><td>{@code L}, {@code Q}</td><td>c_ulong, c_ulonglong</td><td>8</td><td>the 64 bits as a {@code long}: values
 *     of 2<sup>63</sup> and more read negative (two's complement; {@link Long#toUnsignedString(long)} prints
 *     them as Python does)</td><td>{@code Long}</td></tr>
 * <tr><td>{@code f}</td><td>c_float</td><td>4</td><td>{@code float} (widened by {@code getDouble})</td><td>{@code Float}</td></tr>
 * <tr><td>{@code d}</td><td>c_double</td><td>8</td><td>{@code double}</td><td>{@code Double}</td></tr>
 * </table>
 *
 * <p><b>Writing</b> an integer keeps its low bits, as C does and as Python's
 * {@code sharedctypes} does silently: {@code b} given 300 reads 44, {@code B} given -1 reads
 * 255. An integer may be written to {@code f}/{@code d} (converted); a floating-point value
 * may not be written to an integer code ({@link IllegalArgumentException}, Python's
 * {@code TypeError}). {@code u} takes only valid code points. Accessors that do not fit the
 * code ({@code getDouble} on {@code i}, {@code getInt} on a code whose values exceed
 * {@code int}) throw {@link UnsupportedOperationException}.
 *
 * <p>{@code q}/{@code Q} are {@code c_long}/{@code c_ulong} in ctypes on 64-bit Linux (same
 * size); their kinds stay distinct here so that a handle says what its creator asked for.
 */
public enum TypeCode implements CType {
    CHAR('c', "c_char", ValueLayout.JAVA_BYTE),
    WCHAR('u', "c_wchar", ValueLayout.JAVA_INT),
    BYTE('b', "c_byte", ValueLayout.JAVA_BYTE),
    UBYTE('B', "c_ubyte", ValueLayout.JAVA_BYTE),
    SHORT('h', "c_short", ValueLayout.JAVA_SHORT),
    USHORT('H', "c_ushort", ValueLayout.JAVA_SHORT),
    INT('i', "c_int", ValueLayout.JAVA_INT),
    UINT('I', "c_uint", ValueLayout.JAVA_INT),
    LONG('l', "c_long", ValueLayout.JAVA_LONG),
    ULONG('L', "c_ulong", ValueLayout.JAVA_LONG),
    LONGLONG('q', "c_longlong", ValueLayout.JAVA_LONG),
    ULONGLONG('Q', "c_ulonglong", ValueLayout.JAVA_LONG),
    FLOAT('f', "c_float", ValueLayout.JAVA_FLOAT),
    DOUBLE('d', "c_double", ValueLayout.JAVA_DOUBLE);

    private static final VarHandle B = ValueLayout.JAVA_BYTE.varHandle();
    private static final VarHandle S = ValueLayout.JAVA_SHORT.varHandle();
    private static final VarHandle I = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle J = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle F = ValueLayout.JAVA_FLOAT.varHandle();
    private static final VarHandle D = ValueLayout.JAVA_DOUBLE.varHandle();

    private final char code;
    private final String ctypesName;
    private final ValueLayout layout;

    TypeCode(char code, String ctypesName, ValueLayout layout) {
        this.code = code;
        this.ctypesName = ctypesName;
        this.layout = layout;
    }

    /**
     * The type code {@code code} stands for.
     *
     * @throws IllegalArgumentException for a letter that is not one of {@code cubBhHiIlLqQfd}
     *                                  (Python: {@code TypeError('this type has no size')})
     */
    public static TypeCode of(char code) {
        for (TypeCode t : values()) if (t.code == code) return t;
        throw new IllegalArgumentException("this type has no size: type code '" + code + "' is not one of cubBhHiIlLqQfd");
    }

    /** The letter, e.g. {@code 'd'}. */
    public char code() { return code; }

    /** The ctypes name, e.g. {@code "c_double"}. */
    public String ctypesName() { return ctypesName; }

    @Override public long size() { return layout.byteSize(); }

    @Override public long alignment() { return layout.byteAlignment(); }

    /** The FFM layout: native byte order, aligned to its size. */
    @Override public ValueLayout layout() { return layout; }

    @Override public String descriptor() { return String.valueOf(code); }

    /** Whether the values are integers (every code but {@code f} and {@code d}; {@code c} and {@code u} included). */
    public boolean isIntegral() { return this != FLOAT && this != DOUBLE; }

    /** Whether the values are floating point ({@code f}, {@code d}). */
    public boolean isFloating() { return !isIntegral(); }

    /** Whether {@link #getInt} serves this code: its Java values all fit an {@code int}. */
    boolean fitsInt() { return isIntegral() && this != UINT && layout.byteSize() <= 4; }

    /** The Java array type that bulk copies use: same element size, bits copied as they are. */
    Class<?> bulkArrayType() {
        return switch (this) {
            case CHAR, BYTE, UBYTE -> byte[].class;
            case SHORT, USHORT -> short[].class;
            case WCHAR, INT, UINT -> int[].class;
            case LONG, ULONG, LONGLONG, ULONGLONG -> long[].class;
            case FLOAT -> float[].class;
            case DOUBLE -> double[].class;
        };
    }

    @Override public String toString() { return "'" + code + "' (" + ctypesName + ")"; }

    // ------------------------------------------------------------------ access (opaque: coherent, never hoisted, unordered)

    long getLong(MemorySegment m, long off) {
        return switch (this) {
            case BYTE -> (byte) B.getOpaque(m, off);
            case CHAR, UBYTE -> Byte.toUnsignedLong((byte) B.getOpaque(m, off));
            case SHORT -> (short) S.getOpaque(m, off);
            case USHORT -> Short.toUnsignedLong((short) S.getOpaque(m, off));
            case INT -> (int) I.getOpaque(m, off);
            case WCHAR, UINT -> Integer.toUnsignedLong((int) I.getOpaque(m, off));
            case LONG, ULONG, LONGLONG, ULONGLONG -> (long) J.getOpaque(m, off);
            case FLOAT, DOUBLE -> throw unsupported("getLong", "getDouble");
        };
    }

    int getInt(MemorySegment m, long off) {
        if (!fitsInt()) throw unsupported("getInt", isIntegral() ? "getLong" : "getDouble");
        return (int) getLong(m, off);
    }

    void setLong(MemorySegment m, long off, long v) {
        switch (this) {
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

    double getDouble(MemorySegment m, long off) {
        return switch (this) {
            case FLOAT -> (float) F.getOpaque(m, off);
            case DOUBLE -> (double) D.getOpaque(m, off);
            default -> throw unsupported("getDouble", fitsInt() ? "getInt or getLong" : "getLong");
        };
    }

    void setDouble(MemorySegment m, long off, double v) {
        switch (this) {
            case FLOAT -> F.setOpaque(m, off, (float) v);
            case DOUBLE -> D.setOpaque(m, off, v);
            default -> throw new IllegalArgumentException("a floating-point value cannot be stored in " + this
                    + " (Python: 'float' object cannot be interpreted as an integer)");
        }
    }

    /** The value boxed as the class comment's table says. */
    Object get(MemorySegment m, long off) {
        return switch (this) {
            case CHAR -> (byte) B.getOpaque(m, off);
            case WCHAR -> Character.toString((int) I.getOpaque(m, off));
            case BYTE, UBYTE, SHORT, USHORT, INT -> (int) getLong(m, off);
            case UINT, LONG, ULONG, LONGLONG, ULONGLONG -> getLong(m, off);
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
    void set(MemorySegment m, long off, Object v) {
        switch (v) {
            case null -> throw new NullPointerException("null cannot be stored in " + this);
            case Float f -> setDouble(m, off, f);
            case Double d -> setDouble(m, off, d);
            case BigDecimal d -> setDouble(m, off, d.doubleValue());
            case BigInteger b -> setLong(m, off, b.longValue());
            case Number n -> setLong(m, off, n.longValue());
            case Boolean b -> setLong(m, off, b ? 1 : 0);
            case Character c when this == CHAR || this == WCHAR -> setChar(m, off, c);
            case String s when (this == CHAR || this == WCHAR) && s.codePointCount(0, s.length()) == 1 ->
                    setChar(m, off, s.codePointAt(0));
            case byte[] b when this == CHAR && b.length == 1 -> B.setOpaque(m, off, b[0]);
            default -> throw new IllegalArgumentException("a " + v.getClass().getSimpleName() + " cannot be stored in " + this
                    + (this == CHAR ? " (give a byte, a char below 256 or a one-byte byte[])" : ""));
        }
    }

    private void setChar(MemorySegment m, long off, int codePoint) {
        if (this == CHAR && codePoint > 0xFF) {
            throw new IllegalArgumentException("U+" + Integer.toHexString(codePoint).toUpperCase() + " does not fit " + this + ": give a byte");
        }
        setLong(m, off, codePoint);
    }

    /** Atomically adds {@code delta} (wrapping) and returns the previous value; 4- and 8-byte integer codes. */
    long getAndAdd(MemorySegment m, long off, long delta) {
        return switch (this) {
            case INT -> (int) I.getAndAdd(m, off, (int) delta);
            case UINT -> Integer.toUnsignedLong((int) I.getAndAdd(m, off, (int) delta));
            case LONG, ULONG, LONGLONG, ULONGLONG -> (long) J.getAndAdd(m, off, delta);
            default -> throw noAtomics();
        };
    }

    /** Atomically sets {@code update} if the stored bits are those of {@code expect}; 4- and 8-byte integer codes. */
    boolean compareAndSet(MemorySegment m, long off, long expect, long update) {
        return switch (this) {
            case INT, UINT -> I.compareAndSet(m, off, (int) expect, (int) update);
            case LONG, ULONG, LONGLONG, ULONGLONG -> J.compareAndSet(m, off, expect, update);
            default -> throw noAtomics();
        };
    }

    /** What {@link #getLong} would read after storing {@code v}: {@code v} wrapped to this code. */
    long wrap(long v) {
        return switch (this) {
            case BYTE -> (byte) v;
            case CHAR, UBYTE -> v & 0xFF;
            case SHORT -> (short) v;
            case USHORT -> v & 0xFFFF;
            case INT -> (int) v;
            case WCHAR, UINT -> v & 0xFFFF_FFFFL;
            default -> v;
        };
    }

    private UnsupportedOperationException noAtomics() {
        return new UnsupportedOperationException("atomic operations need a 4- or 8-byte integer type code (i, I, l, L, q, Q), not " + this);
    }

    private UnsupportedOperationException unsupported(String accessor, String instead) {
        return new UnsupportedOperationException(accessor + " does not apply to " + this + "; use " + instead);
    }
}
