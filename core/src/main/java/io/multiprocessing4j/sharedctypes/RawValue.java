package io.multiprocessing4j.sharedctypes;

import io.multiprocessing4j.shm.Handle;
import io.multiprocessing4j.internal.shm.Heap;
import io.multiprocessing4j.internal.shm.Shared;
import io.multiprocessing4j.internal.sync.SharedLock;

import java.io.Serial;
import java.lang.foreign.MemorySegment;

/**
 * One C value in shared memory, with no lock: Python's {@code RawValue(t, *args)}, or
 * {@code Value(t, *args, lock=False)}. Its type is a {@link TypeCode} or a {@link StructType}.
 * Make one with {@code ctx.rawValue('i', 7)}; pass it to a child as an argument (the child
 * sees the same memory) or {@link #attach} its handle from any JVM.
 *
 * <h2>Layout</h2>
 * The value alone, at the start of a heap block of whole 64-byte lines:
 * <pre>
 *  0                size                                            64·k
 *  +----------------+- - - - - - - - - - - - - - - - - - - - - - - - +
 *  | value          | (unused, zero)                                 |
 *  +----------------+- - - - - - - - - - - - - - - - - - - - - - - - +
 *  value   ctypes representation: native byte order (little-endian), aligned;
 *          a struct as {@link StructType} lays it out
 * </pre>
 * Handle kind: {@code Value:<type>}, e.g. {@code Value:i}, {@code Value:Point{x=d,y=d}}.
 *
 * <h2>Accessors</h2>
 * Typed: {@link #getLong()}/{@link #setLong}, {@link #getInt()}/{@link #setInt},
 * {@link #getDouble()}/{@link #setDouble}, with the value mapping and wrap-around rules
 * of {@link TypeCode}; boxed: {@link #get()}/{@link #set(Object)}. For a struct, the same
 * accessors with a field name ({@code getDouble("x")}), or {@link #struct()}.
 *
 * <h2>Concurrency</h2>
 * Each access is one read or write of the value, never torn (the value is aligned), and
 * seen by other processes without delay, but with no ordering against other memory and no
 * atomicity across a read and a write: {@code v.setLong(v.getLong() + 1)} from two
 * processes loses updates. Use a {@link Value} and its lock for that, or, lock-free, the
 * atomic methods ({@link #incrementAndGet()}, {@link #getAndAdd}, {@link #compareAndSet}),
 * which Python does not have. Thread-safe in that sense.
 */
public sealed class RawValue extends Shared permits Value {
    @Serial private static final long serialVersionUID = 1L;
    static final String KIND_PREFIX = "Value:";

    /** Null for a raw value; the synchronizing lock of a {@link Value}. */
    final SharedLock lock;
    private transient CType type;

    RawValue(Heap.Block block, CType type, SharedLock lock) {
        super(block, KIND_PREFIX + type.descriptor());
        this.type = type;
        this.lock = lock;
    }

    RawValue(Handle handle, SharedLock lock) {
        super(handle, checkKind(handle));
        this.lock = lock;
    }

    /**
     * A new value of type {@code type} carved from {@code heap}: zero, then set to
     * {@code initial} when that is not null (for a struct: an {@code Object[]}/{@code List}
     * of field values, a {@code Map} by field name, or a {@link Struct}).
     *
     * @throws IllegalArgumentException when {@code initial} does not fit the type
     */
    public static RawValue create(Heap heap, CType type, Object initial) {
        return new RawValue(allocate(heap, type, initial), type, null);
    }

    /** A view of the value that {@code handle} names, made by any process; its kind says the type. */
    public static RawValue attach(Handle handle) { return new RawValue(handle, null); }

    /** A zeroed block for a {@code type}, set to {@code initial} (if not null); freed again if that fails. */
    static Heap.Block allocate(Heap heap, CType type, Object initial) {
        java.util.Objects.requireNonNull(type, "type");
        Heap.Block b = heap.allocate(type.size());
        try {
            if (initial != null) write(type, b.memory(), initial);
        } catch (RuntimeException e) {
            heap.free(b);
            throw e;
        }
        return b;
    }

    private static void write(CType type, MemorySegment m, Object value) {
        if (type instanceof StructType s) {
            Struct.write(s, m, 0, value);
        } else {
            ((TypeCode) type).set(m, 0, value);
        }
    }

    private static String checkKind(Handle h) {
        String kind = h.kind();
        if (!kind.startsWith(KIND_PREFIX)) throw new IllegalArgumentException("handle names a " + kind + ", not a Value");
        CType t = CType.parse(kind.substring(KIND_PREFIX.length()));
        if (h.size() < t.size()) throw new IllegalArgumentException(h + " is too small for a " + t);
        return kind;
    }

    /** The value's type. */
    public final CType type() {
        CType t = type;
        if (t == null) type = t = CType.parse(handle().kind().substring(KIND_PREFIX.length()));
        return t;
    }

    // ------------------------------------------------------------------ scalar accessors

    /** The value as a {@code long}: integer codes (see {@link TypeCode} for unsigned codes and {@code c}, {@code u}). */
    public final long getLong() {
        TypeCode c = code();
        boolean t = Guard.enter(lock);
        try { return c.getLong(memory(), 0); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    /** Stores {@code value}, wrapped to the code's width (converted for {@code f}/{@code d}). */
    public final void setLong(long value) {
        TypeCode c = code();
        boolean t = Guard.enter(lock);
        try { c.setLong(memory(), 0, value); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    /** The value as an {@code int}: codes whose values all fit ({@code c u b B h H i}). */
    public final int getInt() {
        TypeCode c = code();
        boolean t = Guard.enter(lock);
        try { return c.getInt(memory(), 0); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    /** Same as {@link #setLong}. */
    public final void setInt(int value) { setLong(value); }

    /** The value of an {@code f} or {@code d} code. */
    public final double getDouble() {
        TypeCode c = code();
        boolean t = Guard.enter(lock);
        try { return c.getDouble(memory(), 0); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    /** Stores {@code value} in an {@code f} (rounded to float) or {@code d} code. */
    public final void setDouble(double value) {
        TypeCode c = code();
        boolean t = Guard.enter(lock);
        try { c.setDouble(memory(), 0, value); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    /** Python's {@code .value}: boxed as {@link TypeCode} says; for a struct, a live {@link Struct} view. */
    public final Object get() {
        if (type() instanceof StructType) return struct();
        TypeCode c = code();
        boolean t = Guard.enter(lock);
        try { return c.get(memory(), 0); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    /** Python's {@code .value = v}: converted as {@link TypeCode} says; for a struct, any struct initializer. */
    public final void set(Object value) {
        boolean t = Guard.enter(lock);
        try { write(type(), memory(), java.util.Objects.requireNonNull(value, "value")); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    // ------------------------------------------------------------------ lock-free atomics (not in Python)

    /**
     * Atomically adds {@code delta} (wrapping) and returns the previous value. Lock-free:
     * it does not take a {@link Value}'s lock, so it is atomic with the other atomic
     * methods but not with a read-then-write done under the lock. Codes {@code i I l L q Q}.
     */
    public final long getAndAdd(long delta) { return code().getAndAdd(memory(), 0, delta); }

    /** Like {@link #getAndAdd} but returns the new value. */
    public final long addAndGet(long delta) {
        TypeCode c = code();
        return c.wrap(c.getAndAdd(memory(), 0, delta) + delta);
    }

    /** {@code addAndGet(1)}. */
    public final long incrementAndGet() { return addAndGet(1); }

    /**
     * Atomically stores {@code update} if the value's bits are {@code expect}'s (both
     * wrapped to the code's width); lock-free as {@link #getAndAdd}.
     */
    public final boolean compareAndSet(long expect, long update) { return code().compareAndSet(memory(), 0, expect, update); }

    // ------------------------------------------------------------------ structs

    /** A live view of the struct (taking this object's lock, if any, around each access). */
    public final Struct struct() {
        if (!(type() instanceof StructType s)) throw new UnsupportedOperationException("a " + type() + " value is not a struct");
        return new Struct(s, memory(), 0, lock);
    }

    /** Field {@code field} of a struct value, as {@link Struct#getLong}. */
    public final long getLong(String field) { return struct().getLong(field); }

    public final void setLong(String field, long value) { struct().setLong(field, value); }

    public final int getInt(String field) { return struct().getInt(field); }

    public final void setInt(String field, int value) { struct().setInt(field, value); }

    public final double getDouble(String field) { return struct().getDouble(field); }

    public final void setDouble(String field, double value) { struct().setDouble(field, value); }

    public final Object get(String field) { return struct().get(field); }

    public final void set(String field, Object value) { struct().set(field, value); }

    private TypeCode code() {
        if (type() instanceof TypeCode c) return c;
        throw new UnsupportedOperationException("a " + type() + " value has fields: use the accessors that take a field name");
    }

    /** {@code c_int(7)}, {@code Point(x=1.0, y=2.0)}: Python's repr of the ctypes object (read without the lock). */
    @Override
    public String toString() {
        if (type() instanceof StructType s) return new Struct(s, memory(), 0, null).toString();
        TypeCode c = (TypeCode) type();
        return c.ctypesName() + "(" + c.get(memory(), 0) + ")";
    }
}
