package io.multiprocessing4j.serial;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The default {@link Codec}: a one-byte tag and the raw bytes for the values that travel
 * most ({@code null}, boxed primitives, {@code String}, {@code byte[]} and the other
 * primitive arrays), with no reflection; Java serialization for everything else.
 *
 * <p>Java serialization is read behind an {@link ObjectInputFilter}: the JVM-wide filter
 * ({@code jdk.serialFilter}) when one is set, else the pattern of the system property
 * {@code mp4j.serialFilter}, else limits on depth and size that stop the cheap attacks.
 * Bytes from a socket reach this codec only after the peer proved it holds the authkey.
 *
 * <pre>
 * tag  meaning        body (little-endian)
 *  0   null           -
 *  1   Boolean        1 byte
 *  2   Byte           1 byte
 *  3   Short          2
 *  4   Character      2
 *  5   Integer        4
 *  6   Long           8
 *  7   Float          4
 *  8   Double         8
 *  9   String         UTF-8 bytes to the end
 * 10   byte[]         the bytes
 * 11   int[]          4 bytes each      12 long[]    8 each
 * 13   double[]       8 each            14 float[]   4 each
 * 15   short[]        2 each            16 char[]    2 each
 * 17   boolean[]      1 each (0 or 1)
 * 99   serialized     Java serialization stream
 * </pre>
 */
public final class DefaultCodec implements Codec {
    static final DefaultCodec INSTANCE = new DefaultCodec();

    private static final ValueLayout.OfShort S = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfChar C = ValueLayout.JAVA_CHAR_UNALIGNED;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    private static final ObjectInputFilter FILTER = filter();

    private DefaultCodec() {}

    private static ObjectInputFilter filter() {
        ObjectInputFilter global = ObjectInputFilter.Config.getSerialFilter();
        if (global != null) return global;
        String pattern = System.getProperty("mp4j.serialFilter", "maxdepth=200;maxrefs=10000000;maxbytes=" + Long.MAX_VALUE);
        return ObjectInputFilter.Config.createFilter(pattern);
    }

    /*
     * The values that travel most are tested first by their class and written byte by byte:
     * in a fresh child JVM, still interpreting, the pattern switch below costs an
     * invokedynamic bootstrap on its first use and method handle calls on every use, and a
     * memory-segment write costs a chain of var-handle frames.
     */
    @Override
    public byte[] encode(Object v) throws IOException {
        if (v == null) return new byte[] {0};
        Class<?> c = v.getClass();
        if (c == Integer.class) return le(new byte[5], 5, (Integer) v, 4);
        if (c == Long.class) return le(new byte[9], 6, (Long) v, 8);
        if (c == Double.class) return le(new byte[9], 8, Double.doubleToRawLongBits((Double) v), 8);
        if (c == String.class && wellFormed((String) v)) return tagged(9, ((String) v).getBytes(StandardCharsets.UTF_8));
        if (c == byte[].class) return tagged(10, (byte[]) v);
        if (c == Boolean.class) return new byte[] {1, (byte) ((Boolean) v ? 1 : 0)};
        return encodeOther(v);
    }

    /** {@code out} with {@code tag} at 0 and the low {@code n} bytes of {@code x} after it, little-endian. */
    private static byte[] le(byte[] out, int tag, long x, int n) {
        out[0] = (byte) tag;
        for (int i = 1; i <= n; i++, x >>>= 8) out[i] = (byte) x;
        return out;
    }

    /** The little-endian {@code n}-byte value at {@code b[at]}. */
    private static long le(byte[] b, int at, int n) {
        long x = 0;
        for (int i = n - 1; i >= 0; i--) x = x << 8 | (b[at + i] & 0xff);
        return x;
    }

    private static byte[] encodeOther(Object v) throws IOException {
        return switch (v) {
            case null -> new byte[] {0};
            case Boolean b -> new byte[] {1, (byte) (b ? 1 : 0)};
            case Byte b -> new byte[] {2, b};
            case Short s -> prim(3, 2).set(S, 1, s).out();
            case Character c -> prim(4, 2).set(C, 1, c).out();
            case Integer i -> prim(5, 4).set(I, 1, i).out();
            case Long l -> prim(6, 8).set(L, 1, l).out();
            case Float f -> prim(7, 4).set(F, 1, f).out();
            case Double d -> prim(8, 8).set(D, 1, d).out();
            case String s when wellFormed(s) -> tagged(9, s.getBytes(StandardCharsets.UTF_8));
            case byte[] a -> tagged(10, a);
            case int[] a -> array(11, MemorySegment.ofArray(a));
            case long[] a -> array(12, MemorySegment.ofArray(a));
            case double[] a -> array(13, MemorySegment.ofArray(a));
            case float[] a -> array(14, MemorySegment.ofArray(a));
            case short[] a -> array(15, MemorySegment.ofArray(a));
            case char[] a -> array(16, MemorySegment.ofArray(a));
            case boolean[] a -> {
                byte[] out = new byte[a.length + 1];
                out[0] = 17;
                for (int i = 0; i < a.length; i++) out[i + 1] = (byte) (a[i] ? 1 : 0);
                yield out;
            }
            default -> serialize(v);
        };
    }

    @Override
    public Object decode(byte[] b, int off, int len) throws IOException {
        if (len < 1) throw new IOException("empty message");
        int n = len - 1;
        byte tag = b[off];
        if (tag == 5 && n == 4) return (int) le(b, off + 1, 4); // the common cases, without a segment
        if (tag == 6 && n == 8) return le(b, off + 1, 8);
        if (tag == 8 && n == 8) return Double.longBitsToDouble(le(b, off + 1, 8));
        if (tag >= 0 && tag < BODY.length && BODY[tag] != 0 && (BODY[tag] > 0 ? n != BODY[tag] : n % -BODY[tag] != 0)) {
            // bytes from another process: a cut or forged message is an IOException, not an index error
            throw new IOException("malformed message: tag " + tag + " with a body of " + n + " bytes");
        }
        MemorySegment m = MemorySegment.ofArray(b).asSlice(off, len);
        return switch (tag) {
            case 0 -> null;
            case 1 -> b[off + 1] != 0;
            case 2 -> b[off + 1];
            case 3 -> m.get(S, 1);
            case 4 -> m.get(C, 1);
            case 5 -> m.get(I, 1);
            case 6 -> m.get(L, 1);
            case 7 -> m.get(F, 1);
            case 8 -> m.get(D, 1);
            case 9 -> new String(b, off + 1, n, StandardCharsets.UTF_8);
            case 10 -> Arrays.copyOfRange(b, off + 1, off + len);
            case 11 -> m.asSlice(1).toArray(ValueLayout.JAVA_INT_UNALIGNED);
            case 12 -> m.asSlice(1).toArray(ValueLayout.JAVA_LONG_UNALIGNED);
            case 13 -> m.asSlice(1).toArray(ValueLayout.JAVA_DOUBLE_UNALIGNED);
            case 14 -> m.asSlice(1).toArray(ValueLayout.JAVA_FLOAT_UNALIGNED);
            case 15 -> m.asSlice(1).toArray(ValueLayout.JAVA_SHORT_UNALIGNED);
            case 16 -> m.asSlice(1).toArray(ValueLayout.JAVA_CHAR_UNALIGNED);
            case 17 -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) a[i] = b[off + 1 + i] != 0;
                yield a;
            }
            case 99 -> deserialize(b, off + 1, n);
            default -> throw new IOException("unknown codec tag " + b[off]);
        };
    }

    /** The body of each fixed-size tag: n bytes exactly; of each array tag: -n, a multiple of n bytes; 0: any. */
    private static final int[] BODY = {0, 1, 1, 2, 2, 4, 8, 4, 8, 0, 0, -4, -8, -8, -4, -2, -2, 0};

    private static Prim prim(int tag, int size) {
        byte[] out = new byte[size + 1];
        out[0] = (byte) tag;
        return new Prim(out);
    }

    private record Prim(byte[] out) {
        Prim set(ValueLayout.OfShort l, long at, short v) { MemorySegment.ofArray(out).set(l, at, v); return this; }
        Prim set(ValueLayout.OfChar l, long at, char v) { MemorySegment.ofArray(out).set(l, at, v); return this; }
        Prim set(ValueLayout.OfInt l, long at, int v) { MemorySegment.ofArray(out).set(l, at, v); return this; }
        Prim set(ValueLayout.OfLong l, long at, long v) { MemorySegment.ofArray(out).set(l, at, v); return this; }
        Prim set(ValueLayout.OfFloat l, long at, float v) { MemorySegment.ofArray(out).set(l, at, v); return this; }
        Prim set(ValueLayout.OfDouble l, long at, double v) { MemorySegment.ofArray(out).set(l, at, v); return this; }
    }

    /** True unless {@code s} holds a lone surrogate, which UTF-8 cannot carry (Java serialization can). */
    private static boolean wellFormed(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] tagged(int tag, byte[] body) {
        byte[] out = new byte[body.length + 1];
        out[0] = (byte) tag;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    private static byte[] array(int tag, MemorySegment src) {
        if (src.byteSize() > Integer.MAX_VALUE - 9) throw new IllegalArgumentException("array too large to encode");
        byte[] out = new byte[(int) src.byteSize() + 1];
        out[0] = (byte) tag;
        MemorySegment.copy(src, 0, MemorySegment.ofArray(out), 1, src.byteSize());
        return out;
    }

    private static byte[] serialize(Object v) throws IOException {
        if (!(v instanceof Serializable)) {
            throw new Codec.NotSerializableException(v.getClass().getName()
                    + " is not Serializable (a lambda sent to another process must be a Serializable one, e.g. SerializableRunnable)");
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream(256);
        bos.write(99);
        try (ObjectOutputStream oos = new ObjectOutputStream(bos)) {
            oos.writeObject(v);
        }
        return bos.toByteArray();
    }

    private static Object deserialize(byte[] b, int off, int len) throws IOException {
        try (ObjectInputStream in = new ContextObjectInputStream(new ByteArrayInputStream(b, off, len))) {
            in.setObjectInputFilter(boundedBy(len));
            return in.readObject();
        } catch (ClassNotFoundException e) {
            throw new InvalidClassException("class not found in this process: " + e.getMessage());
        } catch (RuntimeException e) {
            // a malformed stream trips checks inside ObjectInputStream or in a class's readObject
            throw (IOException) new StreamCorruptedException("malformed serialized value: " + e).initCause(e);
        }
    }

    /**
     * {@link #FILTER}, and no array longer than a stream of {@code len} bytes can describe:
     * each element takes at least one byte of it (a hash table, at most four slots per
     * entry), so a longer one is a forged length that would only allocate memory.
     */
    private static ObjectInputFilter boundedBy(int len) {
        long most = 4L * len + 64;
        return info -> info.arrayLength() > most ? ObjectInputFilter.Status.REJECTED : FILTER.checkInput(info);
    }

    /** Resolves classes through the thread's context loader too, as application servers expect. */
    private static final class ContextObjectInputStream extends ObjectInputStream {
        ContextObjectInputStream(ByteArrayInputStream in) throws IOException { super(in); }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return super.resolveClass(desc);
            } catch (ClassNotFoundException e) {
                ClassLoader cl = Thread.currentThread().getContextClassLoader();
                if (cl == null) throw e;
                return Class.forName(desc.getName(), false, cl);
            }
        }
    }
}
