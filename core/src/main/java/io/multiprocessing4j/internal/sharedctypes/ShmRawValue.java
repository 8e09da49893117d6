package io.multiprocessing4j.internal.sharedctypes;

import io.multiprocessing4j.internal.shm.Heap;
import io.multiprocessing4j.internal.shm.Shared;
import io.multiprocessing4j.internal.sync.SharedLock;
import io.multiprocessing4j.sharedctypes.CType;
import io.multiprocessing4j.sharedctypes.RawValue;
import io.multiprocessing4j.sharedctypes.Struct;
import io.multiprocessing4j.sharedctypes.StructType;
import io.multiprocessing4j.sharedctypes.TypeCode;
import io.multiprocessing4j.shm.Handle;

import java.io.Serial;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A {@link RawValue} in a heap block, and the base of {@link ShmValue}, which adds a lock.
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
 * Each accessor is one opaque access of {@link Access}, inside {@link Guard} when there is a lock.
 */
public sealed class ShmRawValue extends Shared implements RawValue permits ShmValue {
    @Serial private static final long serialVersionUID = 1L;
    static final String KIND_PREFIX = "Value:";

    /** Null for a raw value; the synchronizing lock of a {@link ShmValue}. */
    final SharedLock lock;
    private transient CType type;

    ShmRawValue(Heap.Block block, CType type, SharedLock lock) {
        super(block, KIND_PREFIX + type.descriptor());
        this.type = type;
        this.lock = lock;
    }

    ShmRawValue(Handle handle, SharedLock lock) {
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
    public static ShmRawValue create(Heap heap, CType type, Object initial) {
        return new ShmRawValue(allocate(heap, type, initial), type, null);
    }

    /** A view of the value that {@code handle} names, made by any process; its kind says the type. */
    public static ShmRawValue attach(Handle handle) { return new ShmRawValue(handle, null); }

    /** A zeroed block for a {@code type}, set to {@code initial} (if not null); freed again if that fails. */
    static Heap.Block allocate(Heap heap, CType type, Object initial) {
        Objects.requireNonNull(type, "type");
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
            ShmStruct.write(s, m, 0, value);
        } else {
            Access.set((TypeCode) type, m, 0, value);
        }
    }

    private static String checkKind(Handle h) {
        String kind = h.kind();
        if (!kind.startsWith(KIND_PREFIX)) throw new IllegalArgumentException("handle names a " + kind + ", not a Value");
        CType t = CType.parse(kind.substring(KIND_PREFIX.length()));
        if (h.size() < t.size()) throw new IllegalArgumentException(h + " is too small for a " + t);
        return kind;
    }

    @Override
    public final CType type() {
        CType t = type;
        if (t == null) type = t = CType.parse(handle().kind().substring(KIND_PREFIX.length()));
        return t;
    }

    // ------------------------------------------------------------------ scalar accessors

    @Override
    public final long getLong() {
        TypeCode c = code();
        boolean t = Guard.enter(lock);
        try { return Access.getLong(c, memory(), 0); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    @Override
    public final void setLong(long value) {
        TypeCode c = code();
        boolean t = Guard.enter(lock);
        try { Access.setLong(c, memory(), 0, value); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    @Override
    public final int getInt() {
        TypeCode c = code();
        boolean t = Guard.enter(lock);
        try { return Access.getInt(c, memory(), 0); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    @Override
    public final void setInt(int value) { setLong(value); }

    @Override
    public final double getDouble() {
        TypeCode c = code();
        boolean t = Guard.enter(lock);
        try { return Access.getDouble(c, memory(), 0); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    @Override
    public final void setDouble(double value) {
        TypeCode c = code();
        boolean t = Guard.enter(lock);
        try { Access.setDouble(c, memory(), 0, value); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    @Override
    public final Object get() {
        if (type() instanceof StructType) return struct();
        TypeCode c = code();
        boolean t = Guard.enter(lock);
        try { return Access.get(c, memory(), 0); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    @Override
    public final void set(Object value) {
        boolean t = Guard.enter(lock);
        try { write(type(), memory(), Objects.requireNonNull(value, "value")); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    // ------------------------------------------------------------------ lock-free atomics

    @Override
    public final long getAndAdd(long delta) { return Access.getAndAdd(code(), memory(), 0, delta); }

    @Override
    public final long addAndGet(long delta) {
        TypeCode c = code();
        return Access.wrap(c, Access.getAndAdd(c, memory(), 0, delta) + delta);
    }

    @Override
    public final long incrementAndGet() { return addAndGet(1); }

    @Override
    public final boolean compareAndSet(long expect, long update) { return Access.compareAndSet(code(), memory(), 0, expect, update); }

    // ------------------------------------------------------------------ structs

    @Override
    public final ShmStruct struct() {
        if (!(type() instanceof StructType s)) throw new UnsupportedOperationException("a " + type() + " value is not a struct");
        return new ShmStruct(s, memory(), 0, lock);
    }

    @Override
    public final long getLong(String field) { return struct().getLong(field); }

    @Override
    public final void setLong(String field, long value) { struct().setLong(field, value); }

    @Override
    public final int getInt(String field) { return struct().getInt(field); }

    @Override
    public final void setInt(String field, int value) { struct().setInt(field, value); }

    @Override
    public final double getDouble(String field) { return struct().getDouble(field); }

    @Override
    public final void setDouble(String field, double value) { struct().setDouble(field, value); }

    @Override
    public final Object get(String field) { return struct().get(field); }

    @Override
    public final void set(String field, Object value) { struct().set(field, value); }

    private TypeCode code() {
        if (type() instanceof TypeCode c) return c;
        throw new UnsupportedOperationException("a " + type() + " value has fields: use the accessors that take a field name");
    }

    /** {@code c_int(7)}, {@code Point(x=1.0, y=2.0)}: Python's repr of the ctypes object (read without the lock). */
    @Override
    public String toString() {
        if (type() instanceof StructType s) return new ShmStruct(s, memory(), 0, null).toString();
        TypeCode c = (TypeCode) type();
        return c.ctypesName() + "(" + Access.get(c, memory(), 0) + ")";
    }
}
