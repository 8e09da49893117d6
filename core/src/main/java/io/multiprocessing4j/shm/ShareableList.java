package io.multiprocessing4j.shm;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A fixed-length list in a {@link SharedMemory} block, laid out byte for byte as Python's
 * {@code multiprocessing.shared_memory.ShareableList}: a Java and a Python process can each
 * create one and the other attach it by name, read it and write it.
 *
 * <p>Items are {@link Long} (an {@code Integer}, {@code Short}, {@code Byte} or in-range
 * {@code BigInteger} is stored as one), {@link Double} (a {@code Float} is widened),
 * {@link Boolean}, {@link String}, {@code byte[]} and {@code null}; {@link #get} returns
 * those six types. {@link #set} may change an item's type. The length never changes:
 * {@code add} and {@code remove} throw {@link UnsupportedOperationException}.
 *
 * <h2>Layout</h2>
 * All integers little-endian (the machine's order, as Python's native {@code struct}),
 * every region 8-aligned, no padding at the end; n items:
 * <pre>
 *  0        8                    (n+2)*8                     F = (n+2)*8 + offsets[n]
 *  +--------+--------------------+---------------------------+-------------------+---------+
 *  | n      | offsets[0..n]      | data: item i at           | formats: n x 8 B  | codes:  |
 *  | int64  | (n+1) x int64,     | (n+2)*8 + offsets[i],     | ASCII struct      | n x int8|
 *  |        | offsets[0] = 0,    | offsets[i+1]-offsets[i]   | format, NUL-padded|         |
 *  |        | offsets[n] = data  | bytes long (8k bytes)     |                   |         |
 *  +--------+--------------------+---------------------------+-------------------+---------+
 *                                                           F                   F+8n     F+9n
 *
 *  item        slot bytes   format        code   data
 *  Long        8            "q"           0      int64
 *  Double      8            "d"           0      IEEE 754 binary64
 *  Boolean     8            "xxxxxxx?"    0      bytes 0-6 zero, byte 7 = 0 or 1
 *  null        8            "xxxxxx?x"    3      8 zero bytes
 *  String      N            "&lt;N&gt;s"        1      UTF-8, NUL-padded to N
 *  byte[]      N            "&lt;N&gt;s"        2      the bytes, NUL-padded to N
 * </pre>
 * The offsets and the slot sizes are fixed at creation; formats and codes change with
 * {@link #set}. {@code [7, 2.5, "hé", b"ab", null, true]} takes 166 bytes and has the format
 * {@code qd8s8sxxxxxx?xxxxxxxx?}.
 *
 * <h2>Python's quirks, and what this class does about them</h2>
 * <ul>
 * <li><b>Slot size of a String.</b> Python sizes a str slot by characters:
 *     {@code 8 * (characters / 8 + 1)} bytes, which is too small for multi-byte text (it then
 *     truncates silently or stores undecodable bytes). This class keeps Python's size
 *     whenever the UTF-8 form fits in it, so layouts are byte-identical to Python's for such
 *     lists, and otherwise sizes the slot by the UTF-8 length, {@code 8 * (utf8Bytes / 8 + 1)}:
 *     Python reads a slot by its format, so it reads that correctly too. Nothing is ever
 *     truncated. A {@code byte[]} slot is {@code 8 * (length / 8 + 1)} bytes, as in Python.</li>
 * <li><b>Trailing NULs.</b> A slot does not record its content's length; readers (Python's
 *     and this one) strip trailing NUL bytes. Python stores {@code b"a\0"} and reads back
 *     {@code b"a"}; this class refuses to store a String or byte[] that ends in NUL
 *     ({@link IllegalArgumentException}) rather than lose it silently.</li>
 * <li><b>Too long for a slot.</b> {@code set} of a String or byte[] longer than its slot
 *     throws {@link IllegalArgumentException} with Python's message
 *     {@code bytes/str item exceeds available storage}.</li>
 * <li><b>Very long items.</b> A format field is 8 bytes, so a slot of more than 9,999,999
 *     bytes cannot be described ({@code "10000000s"} is 9 characters; Python truncates the
 *     format and corrupts the list): this class refuses such items.</li>
 * <li><b>Equality.</b> {@link #indexOf}, {@link #contains} and {@link #count} compare by
 *     value ({@code byte[]} by content, an {@code Integer} 7 equals the item 7) but, unlike
 *     Python, {@code true} does not equal 1 and 7 does not equal 7.0. Indices are Java's: no
 *     negative indices; out of range is {@link IndexOutOfBoundsException}.</li>
 * </ul>
 *
 * <h2>Concurrency</h2>
 * Reads and writes are plain memory accesses with no lock: a {@code set} that runs while
 * another process reads the same item may be seen half done (a new format with old data).
 * Guard items that several processes write with a lock. The list's length and slots never
 * change, so they are read once at attach.
 *
 * <p>Serializes by name: the receiving JVM attaches the block.
 */
public final class ShareableList extends AbstractList<Object> implements RandomAccess, AutoCloseable, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final int ALIGN = 8;
    private static final int FORMAT_BYTES = 8;
    private static final long MAX_SLOT = 9_999_999; // the longest "<N>s" that fits 8 bytes

    // back-transform codes: how a slot's raw value becomes the item
    private static final byte AS_IS = 0;
    private static final byte STR = 1;
    private static final byte BYTES = 2;
    private static final byte NONE = 3;

    // The 8-byte format fields of the fixed-size items, read and written as one word each:
    // a get or set of a number then allocates nothing.
    private static final long LONG_FORMAT = formatWord("q");
    private static final long DOUBLE_FORMAT = formatWord("d");
    private static final long BOOL_FORMAT = formatWord("xxxxxxx?");
    private static final long NONE_FORMAT = formatWord("xxxxxx?x");

    private static final ValueLayout.OfLong INT64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble FLOAT64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final transient SharedMemory shm;
    private final transient int n;
    // n + 1, relative to dataStart; null when every slot is 8 bytes (numbers, booleans, None):
    // then offset(i) is 8i, and a large list's element access reads one array less.
    private final transient long[] offsets;
    private final transient long dataStart;
    private final transient long formatsStart;
    private final transient long codesStart;

    private ShareableList(SharedMemory shm, int n, long[] offsets) {
        this.shm = shm;
        this.n = n;
        this.offsets = uniform(offsets) ? null : offsets;
        this.dataStart = (n + 2L) * 8;
        this.formatsStart = dataStart + offsets[n];
        this.codesStart = formatsStart + (long) FORMAT_BYTES * n;
    }

    private static boolean uniform(long[] offsets) {
        for (int i = 0; i < offsets.length; i++) if (offsets[i] != 8L * i) return false;
        return true;
    }

    private long offset(int i) { return offsets == null ? 8L * i : offsets[i]; }

    /** An item checked and encoded, ready to be written into a slot. */
    /** A fixed-size item is {@code format} and {@code bits}; a text item, {@code text}. */
    private record Encoded(byte code, long format, long bits, byte[] text, long slotForNew) {
        boolean isText() { return text != null; }
    }

    /** {@code format}'s NUL-padded 8-byte field as a little-endian word. */
    private static long formatWord(String format) {
        byte[] f = Arrays.copyOf(format.getBytes(StandardCharsets.US_ASCII), FORMAT_BYTES);
        return ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /**
     * Creates a block with a generated {@code psm_} name holding {@code items}.
     *
     * @throws IllegalArgumentException an item of another type, an integer outside int64, a
     *         String or byte[] that ends in NUL or is longer than 9,999,999 bytes
     */
    public static ShareableList create(List<?> items) throws IOException {
        return create(null, items);
    }

    /**
     * Creates the block {@code name} holding {@code items}; {@code name} null means a
     * generated one. Items are checked before the block is made.
     *
     * @throws java.nio.file.FileAlreadyExistsException a block of that name exists
     * @throws IllegalArgumentException                  see {@link #create(List)}
     */
    public static ShareableList create(String name, List<?> items) throws IOException {
        Objects.requireNonNull(items, "items");
        int n = items.size();
        Encoded[] enc = new Encoded[n];
        long[] offsets = new long[n + 1];
        for (int i = 0; i < n; i++) {
            enc[i] = encode(items.get(i));
            offsets[i + 1] = offsets[i] + enc[i].slotForNew();
        }
        long total = 8 + 8L * (n + 1) + offsets[n] + (long) (FORMAT_BYTES + 1) * n;
        SharedMemory shm = name == null ? SharedMemory.create(total) : SharedMemory.create(name, total);
        try {
            MemorySegment m = shm.buf();
            m.set(INT64, 0, n);
            for (int i = 0; i <= n; i++) m.set(INT64, 8 + 8L * i, offsets[i]);
            ShareableList list = new ShareableList(shm, n, offsets);
            for (int i = 0; i < n; i++) list.write(m, i, enc[i]);
            return list;
        } catch (RuntimeException | Error e) {
            shm.close();
            try {
                shm.unlink();
            } catch (java.nio.file.NoSuchFileException ignored) {
                // someone removed it already
            }
            throw e;
        }
    }

    /**
     * Attaches the list in the existing block {@code name} (made by Java or Python).
     *
     * @throws java.nio.file.NoSuchFileException no block of that name
     * @throws IllegalArgumentException          the block does not hold a ShareableList layout
     */
    public static ShareableList attach(String name) throws IOException {
        SharedMemory shm = SharedMemory.attach(name);
        try {
            MemorySegment m = shm.buf();
            long size = shm.size();
            if (size < 16) throw notAList(name, "only " + size + " bytes");
            long n = m.get(INT64, 0);
            if (n < 0 || n > (size - 16) / 17) throw notAList(name, "item count " + n);
            long[] offsets = new long[(int) n + 1];
            for (int i = 0; i <= n; i++) {
                offsets[i] = m.get(INT64, 8 + 8L * i);
                if (i == 0 ? offsets[0] != 0 : offsets[i] < offsets[i - 1]) throw notAList(name, "offsets out of order");
            }
            if (8 + 8 * (n + 1) + offsets[(int) n] + 9 * n > size) throw notAList(name, "offsets beyond the block");
            return new ShareableList(shm, (int) n, offsets);
        } catch (RuntimeException | Error e) {
            shm.close();
            throw e;
        }
    }

    private static IllegalArgumentException notAList(String name, String why) {
        return new IllegalArgumentException("shared memory " + name + " does not hold a ShareableList: " + why);
    }

    private static Encoded encode(Object item) {
        // Numbers first, in a method small enough for C2 to inline (the switch below is not):
        // an inlined encode's result is never allocated, so setting a number allocates nothing.
        if (item instanceof Long l) return fixed(LONG_FORMAT, l);
        if (item instanceof Double d) return fixed(DOUBLE_FORMAT, Double.doubleToRawLongBits(d));
        return encodeOther(item);
    }

    private static Encoded encodeOther(Object item) {
        return switch (item) {
            case null -> new Encoded(NONE, NONE_FORMAT, 0, null, 8);
            case Boolean b -> new Encoded(AS_IS, BOOL_FORMAT, b ? 1L << 56 : 0, null, 8); // the bool in byte 7
            case Long l -> fixed(LONG_FORMAT, l);
            case Integer i -> fixed(LONG_FORMAT, i.longValue());
            case Short s -> fixed(LONG_FORMAT, s.longValue());
            case Byte b -> fixed(LONG_FORMAT, b.longValue());
            case BigInteger b -> {
                if (b.bitLength() > 63) throw new IllegalArgumentException("integer out of int64 range: " + b);
                yield fixed(LONG_FORMAT, b.longValue());
            }
            case Double d -> fixed(DOUBLE_FORMAT, Double.doubleToRawLongBits(d));
            case Float f -> fixed(DOUBLE_FORMAT, Double.doubleToRawLongBits(f.doubleValue()));
            case String s -> {
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                long slot = slotFor(s.codePointCount(0, s.length())); // Python's: by characters
                if (utf8.length > slot) slot = slotFor(utf8.length); // but never too small for the bytes
                yield text(STR, utf8, slot);
            }
            case byte[] b -> text(BYTES, b.clone(), slotFor(b.length));
            default -> throw new IllegalArgumentException("a ShareableList holds Long, Double, Boolean, String, byte[] or null, not "
                    + item.getClass().getName());
        };
    }

    private static Encoded fixed(long format, long bits) {
        return new Encoded(AS_IS, format, bits, null, 8);
    }

    private static Encoded text(byte code, byte[] bytes, long slot) {
        if (bytes.length > 0 && bytes[bytes.length - 1] == 0)
            throw new IllegalArgumentException("a str/bytes item may not end in NUL: readers strip trailing NULs");
        if (slot > MAX_SLOT) throw new IllegalArgumentException("str/bytes item of " + bytes.length + " bytes is too long for a ShareableList");
        return new Encoded(code, 0, 0, bytes, slot);
    }

    private static long slotFor(long length) { return ALIGN * (length / ALIGN + 1); }

    /** Writes format, code, then data into slot {@code i}; a text item fills its whole slot (NUL padding). */
    private void write(MemorySegment m, int i, Encoded e) {
        long at = dataStart + offset(i), formatAt = formatsStart + (long) FORMAT_BYTES * i;
        if (!e.isText()) {
            m.set(INT64, formatAt, e.format());
            m.set(ValueLayout.JAVA_BYTE, codesStart + i, e.code());
            m.set(INT64, at, e.bits());
            return;
        }
        long slot = offset(i + 1) - offset(i);
        byte[] text = e.text();
        if (text.length > slot) throw new IllegalArgumentException("bytes/str item exceeds available storage");
        String current = readFormat(m, i);
        String format = current.endsWith("s") ? current : slot + "s";
        m.set(INT64, formatAt, formatWord(format));
        m.set(ValueLayout.JAVA_BYTE, codesStart + i, e.code());
        MemorySegment.copy(text, 0, m, ValueLayout.JAVA_BYTE, at, text.length);
        long width = Long.parseLong(format, 0, format.length() - 1, 10);
        if (width > text.length) m.asSlice(at + text.length, width - text.length).fill((byte) 0);
    }

    private String readFormat(MemorySegment m, int i) {
        byte[] f = m.asSlice(formatsStart + (long) FORMAT_BYTES * i, FORMAT_BYTES).toArray(ValueLayout.JAVA_BYTE);
        int len = FORMAT_BYTES;
        while (len > 0 && f[len - 1] == 0) len--;
        return new String(f, 0, len, StandardCharsets.US_ASCII);
    }

    /** The item at {@code index}: a Long, Double, Boolean, String, byte[] (a copy) or null. */
    @Override
    public Object get(int index) {
        Objects.checkIndex(index, n);
        MemorySegment m = shm.buf();
        long at = dataStart + offset(index);
        // An int64 first, in a method small enough for C2 to inline into a caller's loop.
        if (m.get(ValueLayout.JAVA_BYTE, codesStart + index) == AS_IS
                && m.get(INT64, formatsStart + (long) FORMAT_BYTES * index) == LONG_FORMAT) return m.get(INT64, at);
        return getOther(m, index, at);
    }

    private Object getOther(MemorySegment m, int index, long at) {
        byte code = m.get(ValueLayout.JAVA_BYTE, codesStart + index);
        if (code == AS_IS) {
            long format = m.get(INT64, formatsStart + (long) FORMAT_BYTES * index);
            if (format == LONG_FORMAT) return m.get(INT64, at);
            if (format == DOUBLE_FORMAT) return m.get(FLOAT64, at);
            if (format == BOOL_FORMAT) return m.get(ValueLayout.JAVA_BYTE, at + 7) != 0;
            throw new IllegalStateException("item " + index + " has the unknown format '" + readFormat(m, index) + "'");
        }
        return switch (code) {
            case NONE -> null;
            case STR -> decode(textAt(m, at, readFormat(m, index), index), index);
            case BYTES -> textAt(m, at, readFormat(m, index), index);
            default -> throw new IllegalStateException("item " + index + " has the unknown type code " + code);
        };
    }

    /** The bytes of a text slot, trailing NULs stripped (Python's rule; nothing else records the length). */
    private byte[] textAt(MemorySegment m, long at, String format, int index) {
        long width;
        try {
            width = format.endsWith("s") ? Long.parseLong(format, 0, format.length() - 1, 10) : -1;
        } catch (NumberFormatException e) {
            width = -1;
        }
        if (width < 0 || width > offset(index + 1) - offset(index))
            throw new IllegalStateException("item " + index + " has the format '" + format + "' for text");
        byte[] b = m.asSlice(at, width).toArray(ValueLayout.JAVA_BYTE);
        int len = b.length;
        while (len > 0 && b[len - 1] == 0) len--;
        return len == b.length ? b : Arrays.copyOf(b, len);
    }

    private static String decode(byte[] utf8, int index) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("item " + index + " is not valid UTF-8 (written truncated by Python?)", e);
        }
    }

    /**
     * Replaces the item at {@code index}, possibly with one of another type, and returns the old one.
     *
     * @throws IllegalArgumentException a String or byte[] longer than the slot
     *         ({@code bytes/str item exceeds available storage}), an unsupported type, or a
     *         String or byte[] ending in NUL
     */
    @Override
    public Object set(int index, Object item) {
        Objects.checkIndex(index, n);
        if (item instanceof Long l) return setNumber(index, LONG_FORMAT, l);
        if (item instanceof Double d) return setNumber(index, DOUBLE_FORMAT, Double.doubleToRawLongBits(d));
        Encoded e = encode(item);
        Object old = get(index);
        write(shm.buf(), index, e);
        return old;
    }

    /**
     * A number's {@code set}. A number over a number of the same format (the common case)
     * stores the value only: its format and type code stay as they are.
     */
    private Object setNumber(int index, long format, long bits) {
        MemorySegment m = shm.buf();
        long at = dataStart + offset(index), formatAt = formatsStart + (long) FORMAT_BYTES * index;
        if (m.get(ValueLayout.JAVA_BYTE, codesStart + index) == AS_IS && m.get(INT64, formatAt) == format) {
            long old = m.get(INT64, at);
            m.set(INT64, at, bits);
            if (format == LONG_FORMAT) return old; // not a conditional expression: it would turn a Long into a Double
            return Double.longBitsToDouble(old);
        }
        Object old = get(index);
        write(m, index, fixed(format, bits));
        return old;
    }

    @Override
    public int size() { return n; }

    /** The struct formats of all items, concatenated (Python's {@code format}). */
    public String format() {
        MemorySegment m = shm.buf();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append(readFormat(m, i));
        return sb.toString();
    }

    /** The block the list lives in. */
    public SharedMemory shm() { return shm; }

    /** How many items equal {@code value} (by value; see the class comment). */
    public int count(Object value) {
        Object v = normalize(value);
        int c = 0;
        for (int i = 0; i < n; i++) if (same(v, get(i))) c++;
        return c;
    }

    @Override
    public int indexOf(Object value) {
        Object v = normalize(value);
        for (int i = 0; i < n; i++) if (same(v, get(i))) return i;
        return -1;
    }

    @Override
    public int lastIndexOf(Object value) {
        Object v = normalize(value);
        for (int i = n - 1; i >= 0; i--) if (same(v, get(i))) return i;
        return -1;
    }

    @Override
    public boolean contains(Object value) { return indexOf(value) >= 0; }

    /** The value as {@link #get} would return it, so that an Integer 7 finds the item 7. */
    private static Object normalize(Object v) {
        return switch (v) {
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case BigInteger b when b.bitLength() <= 63 -> b.longValue();
            case Float f -> f.doubleValue();
            case null, default -> v;
        };
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) return Arrays.equals(x, y);
        return Objects.equals(a, b);
    }

    /** Unmaps the block (as {@code shm().close()}); the block stays until unlinked. */
    @Override
    public void close() { shm.close(); }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ShareableList([");
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(", ");
            Object v = get(i);
            switch (v) {
                case null -> sb.append("None");
                case Boolean b -> sb.append(b ? "True" : "False");
                case String s -> sb.append('\'').append(s).append('\'');
                case byte[] b -> sb.append("b'").append(new String(b, StandardCharsets.ISO_8859_1)).append('\'');
                default -> sb.append(v);
            }
        }
        return sb.append("], name='").append(shm.name()).append("')").toString();
    }

    @Serial
    private Object writeReplace() { return new SharedMemory.ByName(shm.name(), true); }

    @Serial
    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a ShareableList travels by name only");
    }
}
