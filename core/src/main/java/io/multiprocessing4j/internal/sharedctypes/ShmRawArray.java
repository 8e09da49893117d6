package io.multiprocessing4j.internal.sharedctypes;

import io.multiprocessing4j.internal.os.Native;
import io.multiprocessing4j.internal.shm.Heap;
import io.multiprocessing4j.internal.shm.Shared;
import io.multiprocessing4j.internal.sync.SharedLock;
import io.multiprocessing4j.sharedctypes.CType;
import io.multiprocessing4j.sharedctypes.RawArray;
import io.multiprocessing4j.sharedctypes.StructType;
import io.multiprocessing4j.sharedctypes.TypeCode;
import io.multiprocessing4j.shm.Handle;

import java.io.Serial;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.stream.DoubleStream;
import java.util.stream.LongStream;

/**
 * A {@link RawArray} in a heap block, and the base of {@link ShmArray}, which adds a lock.
 *
 * <h2>Layout</h2>
 * The elements back to back, as C lays out {@code t a[length]}, at the start of a heap
 * block of whole 64-byte lines:
 * <pre>
 *  0          s          2s                     (length-1)·s   length·s           64·k
 *  +----------+----------+- - - - - - - - - - - +--------------+- - - - - - - - - +
 *  | a[0]     | a[1]     |  ...                 | a[length-1]  | (unused, zero)   |
 *  +----------+----------+- - - - - - - - - - - +--------------+- - - - - - - - - +
 *  s   the element size (a struct's size includes its tail padding, so every element is aligned)
 * </pre>
 * Handle kind: {@code Array:<type>:<length>}, e.g. {@code Array:d:10}, {@code Array:Point{x=d,y=d}:3}.
 * Element accesses are opaque accesses of {@link Access}; bulk copies one {@link Native#copy},
 * which a memory fault cannot crash; each inside {@link Guard} when there is a lock.
 */
public sealed class ShmRawArray extends Shared implements RawArray permits ShmArray {
    @Serial private static final long serialVersionUID = 1L;
    static final String KIND_PREFIX = "Array:";

    /** Null for a raw array; the synchronizing lock of a {@link ShmArray}. */
    final SharedLock lock;
    private transient CType type;
    private transient int lengthPlusOne; // 0: not read from the kind yet (also after deserialization)

    ShmRawArray(Heap.Block block, CType type, int length, SharedLock lock) {
        super(block, kind(type, length));
        this.type = type;
        this.lengthPlusOne = length + 1;
        this.lock = lock;
    }

    ShmRawArray(Handle handle, SharedLock lock) {
        super(handle, checkKind(handle));
        this.lock = lock;
    }

    /**
     * A new array of {@code type} carved from {@code heap}, Python's
     * {@code size_or_initializer}: an {@code Integer} (or other integral number) gives that
     * many zeroed elements; otherwise the array takes the length and values of
     * {@code initializer}: a Java primitive array (copied in one go when its element size is
     * the type's, see {@link #write(int, int[], int, int)}; otherwise element by element),
     * an {@code Object[]} or {@code Collection} of values (structs: of struct initializers,
     * see {@link ShmRawValue#create}), or, for {@code 'u'}, a {@code CharSequence} (one element per
     * code point).
     *
     * @throws IllegalArgumentException negative length, or a value that does not fit the type
     */
    public static ShmRawArray create(Heap heap, CType type, Object sizeOrInitializer) {
        int n = lengthOf(type, sizeOrInitializer);
        return new ShmRawArray(allocate(heap, type, n, sizeOrInitializer), type, n, null);
    }

    /** A view of the array that {@code handle} names, made by any process; its kind says the type and length. */
    public static ShmRawArray attach(Handle handle) { return new ShmRawArray(handle, null); }

    static String kind(CType type, int length) { return KIND_PREFIX + type.descriptor() + ":" + length; }

    /** A zeroed block for {@code length} elements, set from {@code init} (unless a length); freed again if that fails. */
    static Heap.Block allocate(Heap heap, CType type, int length, Object init) {
        Heap.Block b = heap.allocate(Math.max(1, Math.multiplyExact(type.size(), (long) length)));
        try {
            if (!(init instanceof Number)) assign(type, b.memory(), 0, length, init);
        } catch (RuntimeException e) {
            heap.free(b);
            throw e;
        }
        return b;
    }

    static int lengthOf(CType type, Object init) {
        Objects.requireNonNull(init, "size or initializer");
        long n = switch (init) {
            case Byte b -> b;
            case Short s -> s;
            case Integer i -> i;
            case Long l -> l;
            case Collection<?> c -> c.size();
            case CharSequence s when type == TypeCode.WCHAR -> s.codePoints().count();
            default -> {
                if (!init.getClass().isArray()) {
                    throw new IllegalArgumentException("a " + init.getClass().getName() + " is neither a length nor an initializer of a "
                            + type + " array: give an int, a Java array, a Collection" + (type == TypeCode.WCHAR ? " or a String" : ""));
                }
                yield java.lang.reflect.Array.getLength(init);
            }
        };
        if (n < 0) throw new IllegalArgumentException("negative array length " + n);
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("array length " + n + " too large");
        return (int) n;
    }

    private static String checkKind(Handle h) {
        String kind = h.kind();
        int colon = kind.lastIndexOf(':');
        if (!kind.startsWith(KIND_PREFIX) || colon < KIND_PREFIX.length()) {
            throw new IllegalArgumentException("handle names a " + kind + ", not an Array");
        }
        CType t = CType.parse(kind.substring(KIND_PREFIX.length(), colon));
        int n;
        try {
            n = Integer.parseInt(kind.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("handle names a " + kind + ", not an Array", e);
        }
        if (n < 0 || h.size() < t.size() * n) throw new IllegalArgumentException(h + " is too small for " + n + " elements of " + t);
        return kind;
    }

    @Override
    public final CType type() {
        CType t = type;
        if (t == null) {
            String kind = handle().kind();
            type = t = CType.parse(kind.substring(KIND_PREFIX.length(), kind.lastIndexOf(':')));
        }
        return t;
    }

    @Override
    public final int length() {
        int n = lengthPlusOne - 1;
        if (n < 0) {
            String kind = handle().kind();
            n = Integer.parseInt(kind.substring(kind.lastIndexOf(':') + 1));
            lengthPlusOne = n + 1;
        }
        return n;
    }

    // ------------------------------------------------------------------ element accessors

    @Override
    public final long getLong(int i) {
        long at = offset(i);
        TypeCode c = code();
        boolean t = Guard.enter(lock);
        try { return Access.getLong(c, memory(), at); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    @Override
    public final void setLong(int i, long value) {
        long at = offset(i);
        TypeCode c = code();
        boolean t = Guard.enter(lock);
        try { Access.setLong(c, memory(), at, value); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    @Override
    public final int getInt(int i) {
        long at = offset(i);
        TypeCode c = code();
        boolean t = Guard.enter(lock);
        try { return Access.getInt(c, memory(), at); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    @Override
    public final void setInt(int i, int value) { setLong(i, value); }

    @Override
    public final double getDouble(int i) {
        long at = offset(i);
        TypeCode c = code();
        boolean t = Guard.enter(lock);
        try { return Access.getDouble(c, memory(), at); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    @Override
    public final void setDouble(int i, double value) {
        long at = offset(i);
        TypeCode c = code();
        boolean t = Guard.enter(lock);
        try { Access.setDouble(c, memory(), at, value); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    @Override
    public final Object get(int i) {
        long at = offset(i);
        if (type() instanceof StructType s) return new ShmStruct(s, memory(), at, lock);
        TypeCode c = code();
        boolean t = Guard.enter(lock);
        try { return Access.get(c, memory(), at); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    @Override
    public final void set(int i, Object value) {
        long at = offset(i);
        boolean t = Guard.enter(lock);
        try { store(at, Objects.requireNonNull(value, "value")); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    @Override
    public final ShmStruct struct(int i) {
        long at = offset(i);
        if (!(type() instanceof StructType s)) throw new UnsupportedOperationException("a " + type() + " array has no struct elements");
        return new ShmStruct(s, memory(), at, lock);
    }

    // ------------------------------------------------------------------ slices

    @Override
    public final List<Object> slice(int from, int to) {
        int n = length();
        from = sliceBound(from, n);
        to = Math.max(from, sliceBound(to, n));
        List<Object> out = new ArrayList<>(to - from);
        boolean t = Guard.enter(lock);
        try {
            for (int i = from; i < to; i++) out.add(load(offsetUnchecked(i)));
        } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
        return Collections.unmodifiableList(out);
    }

    /** A slice bound as Python takes it: negative counts from the end; then cut to {@code [0, length]}. */
    private static int sliceBound(int i, int length) {
        if (i < 0) i += length; // cannot overflow: length >= 0
        return Math.clamp(i, 0, length);
    }

    @Override
    public final List<Object> toList() { return slice(0, length()); }

    @Override
    public final void setSlice(int from, int to, Object values) {
        from = sliceBound(from, length());
        to = Math.max(from, sliceBound(to, length()));
        int n = lengthOf(type(), values);
        if (values instanceof Number || n != to - from) {
            throw new IllegalArgumentException("Can only assign sequence of same size: " + (to - from) + " elements, given "
                    + (values instanceof Number ? "a number" : n));
        }
        boolean t = Guard.enter(lock);
        try { assign(type(), memory(), from, to, values); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    @Override
    public final LongStream longs() {
        TypeCode c = code();
        if (!c.isIntegral()) throw new UnsupportedOperationException("longs() does not apply to " + c + "; use doubles()");
        long[] out = new long[length()];
        boolean t = Guard.enter(lock);
        try {
            for (int i = 0; i < out.length; i++) out[i] = Access.getLong(c, memory(), offsetUnchecked(i));
        } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
        return Arrays.stream(out);
    }

    @Override
    public final DoubleStream doubles() {
        TypeCode c = code();
        if (!c.isFloating()) throw new UnsupportedOperationException("doubles() does not apply to " + c + "; use longs()");
        double[] out = new double[length()];
        boolean t = Guard.enter(lock);
        try {
            for (int i = 0; i < out.length; i++) out[i] = Access.getDouble(c, memory(), offsetUnchecked(i));
        } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
        return Arrays.stream(out);
    }

    // ------------------------------------------------------------------ bulk copies

    @Override
    public final void read(int srcIndex, byte[] dst, int dstOffset, int len) { copyOut(srcIndex, MemorySegment.ofArray(dst), dstOffset, len); }

    @Override
    public final void read(int srcIndex, short[] dst, int dstOffset, int len) { copyOut(srcIndex, MemorySegment.ofArray(dst), dstOffset, len); }

    @Override
    public final void read(int srcIndex, int[] dst, int dstOffset, int len) { copyOut(srcIndex, MemorySegment.ofArray(dst), dstOffset, len); }

    @Override
    public final void read(int srcIndex, long[] dst, int dstOffset, int len) { copyOut(srcIndex, MemorySegment.ofArray(dst), dstOffset, len); }

    @Override
    public final void read(int srcIndex, float[] dst, int dstOffset, int len) { copyOut(srcIndex, MemorySegment.ofArray(dst), dstOffset, len); }

    @Override
    public final void read(int srcIndex, double[] dst, int dstOffset, int len) { copyOut(srcIndex, MemorySegment.ofArray(dst), dstOffset, len); }

    @Override
    public final void write(int dstIndex, byte[] src, int srcOffset, int len) { copyIn(dstIndex, MemorySegment.ofArray(src), srcOffset, len); }

    @Override
    public final void write(int dstIndex, short[] src, int srcOffset, int len) { copyIn(dstIndex, MemorySegment.ofArray(src), srcOffset, len); }

    @Override
    public final void write(int dstIndex, int[] src, int srcOffset, int len) { copyIn(dstIndex, MemorySegment.ofArray(src), srcOffset, len); }

    @Override
    public final void write(int dstIndex, long[] src, int srcOffset, int len) { copyIn(dstIndex, MemorySegment.ofArray(src), srcOffset, len); }

    @Override
    public final void write(int dstIndex, float[] src, int srcOffset, int len) { copyIn(dstIndex, MemorySegment.ofArray(src), srcOffset, len); }

    @Override
    public final void write(int dstIndex, double[] src, int srcOffset, int len) { copyIn(dstIndex, MemorySegment.ofArray(src), srcOffset, len); }

    /** {@code dst}: a Java array's segment. */
    private void copyOut(int srcIndex, MemorySegment dst, int dstOffset, int len) {
        TypeCode c = bulkCode(dst);
        long size = c.size();
        Objects.checkFromIndexSize(srcIndex, len, length());
        Objects.checkFromIndexSize(dstOffset, len, dst.byteSize() / size);
        boolean t = Guard.enter(lock);
        try {
            Native.copy(memory(), srcIndex * size, dst, dstOffset * size, len * size);
        } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    /** {@code src}: a Java array's segment. */
    private void copyIn(int dstIndex, MemorySegment src, int srcOffset, int len) {
        TypeCode c = bulkCode(src);
        long size = c.size();
        Objects.checkFromIndexSize(dstIndex, len, length());
        Objects.checkFromIndexSize(srcOffset, len, src.byteSize() / size);
        boolean t = Guard.enter(lock);
        try {
            Native.copy(src, srcOffset * size, memory(), dstIndex * size, len * size);
        } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    private TypeCode bulkCode(MemorySegment arraySegment) {
        TypeCode c = code();
        Object javaArray = arraySegment.heapBase().orElseThrow();
        if (Access.bulkArrayType(c) != javaArray.getClass()) {
            throw new UnsupportedOperationException("a " + c + " array copies to and from " + Access.bulkArrayType(c).getSimpleName()
                    + ", not " + javaArray.getClass().getSimpleName());
        }
        return c;
    }

    // ------------------------------------------------------------------ 'c' arrays: Python's .value and .raw

    @Override
    public final byte[] value() {
        byte[] all = raw();
        int n = 0;
        while (n < all.length && all[n] != 0) n++;
        return n == all.length ? all : Arrays.copyOf(all, n);
    }

    @Override
    public final void setValue(byte[] bytes) {
        checkChars(bytes);
        boolean t = Guard.enter(lock);
        try {
            MemorySegment.copy(bytes, 0, memory(), java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes.length);
            if (bytes.length < length()) memory().set(java.lang.foreign.ValueLayout.JAVA_BYTE, bytes.length, (byte) 0);
        } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    @Override
    public final byte[] raw() {
        checkChars(null);
        byte[] out = new byte[length()];
        read(0, out, 0, out.length);
        return out;
    }

    @Override
    public final void setRaw(byte[] bytes) {
        checkChars(bytes);
        write(0, bytes, 0, bytes.length);
    }

    private void checkChars(byte[] bytes) {
        if (type() != TypeCode.CHAR) throw new UnsupportedOperationException("value and raw are for 'c' arrays, not " + type());
        if (bytes != null && bytes.length > length()) {
            throw new IllegalArgumentException("byte string too long: " + bytes.length + " bytes for " + length());
        }
    }

    // ------------------------------------------------------------------ internals

    private long offset(int i) { return offsetUnchecked(Objects.checkIndex(i, length())); }

    private long offsetUnchecked(int i) { return i * type().size(); }

    private TypeCode code() {
        if (type() instanceof TypeCode c) return c;
        throw new UnsupportedOperationException("a " + type() + " array has struct elements: use struct(i) or get(i)");
    }

    private Object load(long at) {
        if (type() instanceof StructType s) return new ShmStruct(s, memory(), at, lock);
        return Access.get((TypeCode) type(), memory(), at);
    }

    private void store(long at, Object v) {
        if (type() instanceof StructType s) {
            ShmStruct.write(s, memory(), at, v);
        } else {
            Access.set((TypeCode) type(), memory(), at, v);
        }
    }

    /** Writes {@code values} (length already checked to be {@code to - from}) to elements {@code from..to} of {@code m}. */
    private static void assign(CType t, MemorySegment m, int from, int to, Object values) {
        if (t instanceof TypeCode c && values.getClass() == Access.bulkArrayType(c) && c != TypeCode.WCHAR) {
            MemorySegment.copy(values, 0, m, c.layout(), from * c.size(), to - from);
            return;
        }
        // converted aside first (8-byte aligned), then copied: a bad value leaves the array as it was
        int n = to - from;
        long bytes = t.size() * n;
        MemorySegment tmp = MemorySegment.ofArray(new long[(int) Math.max(1, (bytes + 7) / 8)]);
        int k = 0;
        for (Object v : iterate(values)) {
            long at = k++ * t.size();
            if (t instanceof StructType s) ShmStruct.write(s, tmp, at, v);
            else Access.set((TypeCode) t, tmp, at, v);
        }
        MemorySegment.copy(tmp, 0, m, from * t.size(), bytes);
    }

    private static Iterable<?> iterate(Object values) {
        return switch (values) {
            case Collection<?> c -> c;
            case Object[] a -> Arrays.asList(a);
            case CharSequence s -> s.codePoints().boxed().toList();
            default -> {
                int n = java.lang.reflect.Array.getLength(values);
                List<Object> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) out.add(java.lang.reflect.Array.get(values, i));
                yield out;
            }
        };
    }

    /** {@code c_int_Array_3([1, 2, 3])} (read without the lock; long arrays shortened). */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(type() instanceof TypeCode c ? c.ctypesName() : ((StructType) type()).name())
                .append("_Array_").append(length()).append("([");
        int shown = Math.min(length(), 20);
        for (int i = 0; i < shown; i++) {
            if (i > 0) b.append(", ");
            long at = offsetUnchecked(i);
            b.append(type() instanceof StructType s ? new ShmStruct(s, memory(), at, null) : Access.get((TypeCode) type(), memory(), at));
        }
        if (shown < length()) b.append(", ...");
        return b.append("])").toString();
    }
}
