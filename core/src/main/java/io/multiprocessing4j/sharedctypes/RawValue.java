package io.multiprocessing4j.sharedctypes;

/**
 * One C value that processes share, with no lock: Python's {@code RawValue(t, *args)}, or
 * {@code Value(t, *args, lock=False)}. Its type is a {@link TypeCode} or a {@link StructType}.
 * Made by a context ({@code ctx.rawValue('i', 7)}, in shared memory); pass it to a child as
 * an argument (the child sees the same value), or send its handle
 * ({@code Multiprocessing.handle(v)}) and {@code Multiprocessing.attach(handle, RawValue.class)}
 * it in any JVM.
 *
 * <h2>Accessors</h2>
 * Typed: {@link #getLong()}/{@link #setLong}, {@link #getInt()}/{@link #setInt},
 * {@link #getDouble()}/{@link #setDouble}, with the value mapping and wrap-around rules
 * of {@link TypeCode}; boxed: {@link #get()}/{@link #set(Object)}. For a struct, the same
 * accessors with a field name ({@code getDouble("x")}), or {@link #struct()}. An accessor
 * that does not fit the type throws {@link UnsupportedOperationException}; a value that does
 * not fit it, {@link IllegalArgumentException}.
 *
 * <h2>Concurrency</h2>
 * Each access is one read or write of the value, never torn, and seen by other processes
 * without delay, but with no ordering against other memory and no atomicity across a read
 * and a write: {@code v.setLong(v.getLong() + 1)} from two processes loses updates. Use a
 * {@link Value} and its lock for that, or, lock-free, the atomic methods
 * ({@link #incrementAndGet()}, {@link #getAndAdd}, {@link #compareAndSet}), which Python
 * does not have. Thread-safe in that sense.
 *
 * <h2>Lifetime</h2>
 * The value lives as long as the context that made it; an access after that fails with
 * {@link IllegalStateException} in the process that closed it.
 */
public interface RawValue {

    /** The value's type. */
    CType type();

    /** The value as a {@code long}: integer codes (see {@link TypeCode} for unsigned codes and {@code c}, {@code u}). */
    long getLong();

    /** Stores {@code value}, wrapped to the code's width (converted for {@code f}/{@code d}). */
    void setLong(long value);

    /** The value as an {@code int}: codes whose values all fit ({@code c u b B h H i}). */
    int getInt();

    /** Same as {@link #setLong}. */
    void setInt(int value);

    /** The value of an {@code f} or {@code d} code. */
    double getDouble();

    /** Stores {@code value} in an {@code f} (rounded to float) or {@code d} code. */
    void setDouble(double value);

    /** Python's {@code .value}: boxed as {@link TypeCode} says; for a struct, a live {@link Struct} view. */
    Object get();

    /**
     * Python's {@code .value = v}: converted as {@link TypeCode} says; for a struct, a struct
     * initializer (an {@code Object[]} or {@code List} of field values, a {@code Map} by field
     * name, or a {@link Struct} of the same type).
     */
    void set(Object value);

    // ------------------------------------------------------------------ lock-free atomics (not in Python)

    /**
     * Atomically adds {@code delta} (wrapping) and returns the previous value. Lock-free:
     * it does not take a {@link Value}'s lock, so it is atomic with the other atomic
     * methods but not with a read-then-write done under the lock. Codes {@code i I l L q Q}.
     */
    long getAndAdd(long delta);

    /** Like {@link #getAndAdd} but returns the new value. */
    long addAndGet(long delta);

    /** {@code addAndGet(1)}. */
    long incrementAndGet();

    /**
     * Atomically stores {@code update} if the value's bits are {@code expect}'s (both
     * wrapped to the code's width); lock-free as {@link #getAndAdd}.
     */
    boolean compareAndSet(long expect, long update);

    // ------------------------------------------------------------------ structs

    /**
     * A live view of the struct (taking this object's lock, if any, around each access).
     *
     * @throws UnsupportedOperationException if the type is not a struct
     */
    Struct struct();

    /** Field {@code field} of a struct value, as {@link Struct#getLong}. */
    long getLong(String field);

    /** As {@link Struct#setLong}. */
    void setLong(String field, long value);

    /** As {@link Struct#getInt}. */
    int getInt(String field);

    /** As {@link Struct#setInt}. */
    void setInt(String field, int value);

    /** As {@link Struct#getDouble}. */
    double getDouble(String field);

    /** As {@link Struct#setDouble}. */
    void setDouble(String field, double value);

    /** As {@link Struct#get}. */
    Object get(String field);

    /** As {@link Struct#set}. */
    void set(String field, Object value);
}
