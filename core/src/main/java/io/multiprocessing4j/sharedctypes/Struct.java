package io.multiprocessing4j.sharedctypes;

/**
 * One shared struct, seen through its {@link StructType}: the value of a struct
 * {@link RawValue}, or an element of a struct {@link RawArray} ({@code points.struct(i)}).
 * Fields are read and written by name, with the accessors and conversion rules of
 * {@link TypeCode}:
 * <pre>{@code
 * Struct p = points.struct(0);
 * p.setDouble("x", p.getDouble("x") * 2);
 * }</pre>
 * A view of a synchronized object ({@link Value}, {@link Array}) takes that object's lock
 * around each access, and around the whole of {@link #toArray()} and {@link #setAll};
 * hold the lock yourself ({@code getLock()}) to make several accesses one. A view of a raw
 * object takes no lock. The view is live: it reads the shared memory at each call. A field
 * name that the type does not have is an {@link IllegalArgumentException}.
 */
public interface Struct {

    /** The struct's type. */
    StructType type();

    /** The field as a {@code long}, as {@link RawValue#getLong()}. */
    long getLong(String field);

    /** Stores {@code value} in the field, as {@link RawValue#setLong}. */
    void setLong(String field, long value);

    /** The field as an {@code int}, as {@link RawValue#getInt()}. */
    int getInt(String field);

    /** Same as {@link #setLong}. */
    void setInt(String field, int value);

    /** The field of an {@code f} or {@code d} code. */
    double getDouble(String field);

    /** Stores {@code value} in a field of an {@code f} or {@code d} code. */
    void setDouble(String field, double value);

    /** The field's value, boxed as {@link TypeCode} says. */
    Object get(String field);

    /** Stores a boxed value in the field, converted as {@link TypeCode} says. */
    void set(String field, Object value);

    /** Every field's value, boxed, in declaration order (one lock acquisition): Python's tuple of the fields. */
    Object[] toArray();

    /**
     * Sets the fields in declaration order (one lock acquisition); fields after the values
     * given are zeroed, as a ctypes constructor leaves them.
     *
     * @throws IllegalArgumentException more values than fields, or a value that does not fit its field
     */
    void setAll(Object... values);
}
