package io.multiprocessing4j.sharedctypes;

import java.util.List;
import java.util.stream.DoubleStream;
import java.util.stream.LongStream;

/**
 * A fixed-length C array that processes share, with no lock: Python's
 * {@code RawArray(t, size_or_initializer)}, or {@code Array(..., lock=False)}. Elements are
 * of a {@link TypeCode} or a {@link StructType}, laid out as C lays out {@code t a[length]}.
 * Made by a context ({@code ctx.rawArray('d', 1000)}, zeroed, or
 * {@code ctx.rawArray('i', new int[] {1, 2, 3})}, in shared memory); pass it to a child as
 * an argument (the child sees the same memory), or send its handle
 * ({@code Multiprocessing.handle(a)}) and {@code Multiprocessing.attach(handle, RawArray.class)}
 * it in any JVM.
 *
 * <h2>Accessors</h2>
 * By index, checked ({@link IndexOutOfBoundsException}; no negative indices), with the
 * value rules of {@link TypeCode}: {@link #getLong(int)}, {@link #getInt(int)},
 * {@link #getDouble(int)}, their setters, boxed {@link #get(int)}/{@link #set(int, Object)},
 * and {@link #struct(int)} for struct elements. In bulk, one memory copy between the shared
 * array and a Java array of the same element size ({@code read}/{@code write}, the fast path
 * for moving data between processes). Python's slices, bounds clamped as Python's are:
 * {@link #slice}, {@link #setSlice} (equal length). For {@code 'c'} arrays, Python's
 * {@code .value} and {@code .raw}. An accessor that does not fit the element type throws
 * {@link UnsupportedOperationException}; a value that does not fit it,
 * {@link IllegalArgumentException}.
 *
 * <h2>Concurrency</h2>
 * As {@link RawValue}: each element access is one untorn read or write, seen by other
 * processes at once, unordered; a bulk copy is a plain copy of many elements, which another
 * process may see half done. Use an {@link Array} and its lock to make a group of accesses
 * atomic.
 *
 * <h2>Lifetime</h2>
 * The array lives as long as the context that made it; an access or bulk copy after that
 * fails with {@link IllegalStateException} in the process that closed it, as does one that
 * meets memory another process cut off ("the shared memory ... is gone").
 */
public interface RawArray {

    /** The element type. */
    CType type();

    /** How many elements: Python's {@code len(a)}. */
    int length();

    // ------------------------------------------------------------------ element accessors

    /** Element {@code i} as a {@code long} (integer codes; see {@link TypeCode}). */
    long getLong(int i);

    /** Stores {@code value} at {@code i}, wrapped to the code's width (converted for {@code f}/{@code d}). */
    void setLong(int i, long value);

    /** Element {@code i} as an {@code int} (codes {@code c u b B h H i}). */
    int getInt(int i);

    /** Same as {@link #setLong(int, long)}. */
    void setInt(int i, int value);

    /** Element {@code i} of an {@code f} or {@code d} array. */
    double getDouble(int i);

    /** Stores {@code value} at {@code i} of an {@code f} or {@code d} array. */
    void setDouble(int i, double value);

    /** Python's {@code a[i]}: boxed as {@link TypeCode} says; for struct elements, a live {@link Struct} view. */
    Object get(int i);

    /** Python's {@code a[i] = v}: converted as {@link TypeCode} says; for struct elements, any struct initializer (see {@link RawValue#set(Object)}). */
    void set(int i, Object value);

    /**
     * A live view of struct element {@code i} (taking this array's lock, if any, around each access).
     *
     * @throws UnsupportedOperationException if the elements are not structs
     */
    Struct struct(int i);

    // ------------------------------------------------------------------ slices

    /**
     * Python's {@code a[from:to]}: the elements boxed (structs: live views), in one lock
     * acquisition. The bounds are Python's: a negative one counts from the end, one out of
     * range is cut to the array, and a range that ends before it starts is empty
     * ({@code slice(5, 2)} and {@code slice(100, 200)} are empty, {@code slice(8, 100)} of ten
     * elements is the last two, {@code slice(-3, length())} the last three).
     */
    List<Object> slice(int from, int to);

    /** Python's {@code a[:]}. */
    List<Object> toList();

    /**
     * Python's {@code a[from:to] = values}: {@code values} (a Java array, {@code Collection} or,
     * for {@code 'u'}, a {@code CharSequence}) must have exactly as many elements as
     * {@link #slice slice(from, to)} has, whose bounds it takes (an empty range takes an empty
     * sequence and changes nothing). Written in one lock acquisition, converted first, so a
     * bad value leaves the array as it was.
     *
     * @throws IllegalArgumentException another number of elements ("Can only assign sequence of
     *                                  same size"), or a value that does not fit
     */
    void setSlice(int from, int to, Object values);

    /** The elements of an integer array (codes as {@link #getLong(int)}), copied in one lock acquisition. */
    LongStream longs();

    /** The elements of an {@code f} or {@code d} array, copied in one lock acquisition. */
    DoubleStream doubles();

    // ------------------------------------------------------------------ bulk copies

    /**
     * Copies {@code len} elements from index {@code srcIndex} into {@code dst[dstOffset..]}
     * with one memory copy (in one lock acquisition). The Java array's element size must be
     * the type's ({@code byte[]} for {@code c b B}); bits are copied as they are, so a
     * {@code 'B'} 200 arrives as the byte -56.
     *
     * @throws IndexOutOfBoundsException either range out of bounds
     * @throws UnsupportedOperationException wrong element size, or a struct array
     */
    void read(int srcIndex, byte[] dst, int dstOffset, int len);

    /** As {@link #read(int, byte[], int, int)}; for {@code h H}. */
    void read(int srcIndex, short[] dst, int dstOffset, int len);

    /** As {@link #read(int, byte[], int, int)}; for {@code i I u}. */
    void read(int srcIndex, int[] dst, int dstOffset, int len);

    /** As {@link #read(int, byte[], int, int)}; for {@code l L q Q}. */
    void read(int srcIndex, long[] dst, int dstOffset, int len);

    /** As {@link #read(int, byte[], int, int)}; for {@code f}. */
    void read(int srcIndex, float[] dst, int dstOffset, int len);

    /** As {@link #read(int, byte[], int, int)}; for {@code d}. */
    void read(int srcIndex, double[] dst, int dstOffset, int len);

    /**
     * Copies {@code src[srcOffset..srcOffset+len)} to the elements from {@code dstIndex}
     * with one memory copy (in one lock acquisition); the counterpart of
     * {@link #read(int, byte[], int, int)}, with the same element-size rule.
     */
    void write(int dstIndex, byte[] src, int srcOffset, int len);

    /** As {@link #write(int, byte[], int, int)}; for {@code h H}. */
    void write(int dstIndex, short[] src, int srcOffset, int len);

    /** As {@link #write(int, byte[], int, int)}; for {@code i I u} ({@code u}: the code points are not checked). */
    void write(int dstIndex, int[] src, int srcOffset, int len);

    /** As {@link #write(int, byte[], int, int)}; for {@code l L q Q}. */
    void write(int dstIndex, long[] src, int srcOffset, int len);

    /** As {@link #write(int, byte[], int, int)}; for {@code f}. */
    void write(int dstIndex, float[] src, int srcOffset, int len);

    /** As {@link #write(int, byte[], int, int)}; for {@code d}. */
    void write(int dstIndex, double[] src, int srcOffset, int len);

    // ------------------------------------------------------------------ 'c' arrays: Python's .value and .raw

    /** The bytes up to the first NUL (all of them when there is none): Python's {@code .value} of a {@code 'c'} array. */
    byte[] value();

    /**
     * Python's {@code .value = bytes}: writes {@code bytes}, then a NUL if there is room; the
     * elements after that keep their contents.
     *
     * @throws IllegalArgumentException {@code bytes} longer than the array ("byte string too long")
     */
    void setValue(byte[] bytes);

    /** Every byte: Python's {@code .raw} of a {@code 'c'} array. */
    byte[] raw();

    /**
     * Python's {@code .raw = bytes}: writes {@code bytes} at the start (no NUL added; the rest
     * keeps its contents).
     *
     * @throws IllegalArgumentException {@code bytes} longer than the array ("byte string too long")
     */
    void setRaw(byte[] bytes);
}
