package io.multiprocessing4j.sharedctypes;

import java.lang.foreign.ValueLayout;

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

    @Override public String toString() { return "'" + code + "' (" + ctypesName + ")"; }
}
