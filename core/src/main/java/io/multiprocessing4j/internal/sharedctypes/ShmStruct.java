package io.multiprocessing4j.internal.sharedctypes;

import io.multiprocessing4j.internal.sync.SharedLock;
import io.multiprocessing4j.sharedctypes.Struct;
import io.multiprocessing4j.sharedctypes.StructType;
import io.multiprocessing4j.sharedctypes.TypeCode;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link Struct} in shared memory: a view of the struct at {@code base} in an object's
 * memory, taking that object's lock (null for a raw object) around each access as
 * {@link Guard} does.
 */
public final class ShmStruct implements Struct {
    private final StructType type;
    private final MemorySegment memory;
    private final long base;
    private final SharedLock lock;

    ShmStruct(StructType type, MemorySegment memory, long base, SharedLock lock) {
        this.type = type;
        this.memory = memory;
        this.base = base;
        this.lock = lock;
    }

    @Override
    public StructType type() { return type; }

    @Override
    public long getLong(String field) {
        int k = type.indexOf(field);
        boolean t = Guard.enter(lock);
        try { return Access.getLong(code(k), memory, at(k)); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    @Override
    public void setLong(String field, long value) {
        int k = type.indexOf(field);
        boolean t = Guard.enter(lock);
        try { Access.setLong(code(k), memory, at(k), value); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    @Override
    public int getInt(String field) {
        int k = type.indexOf(field);
        boolean t = Guard.enter(lock);
        try { return Access.getInt(code(k), memory, at(k)); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    @Override
    public void setInt(String field, int value) { setLong(field, value); }

    @Override
    public double getDouble(String field) {
        int k = type.indexOf(field);
        boolean t = Guard.enter(lock);
        try { return Access.getDouble(code(k), memory, at(k)); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    @Override
    public void setDouble(String field, double value) {
        int k = type.indexOf(field);
        boolean t = Guard.enter(lock);
        try { Access.setDouble(code(k), memory, at(k), value); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    /** The field's value, boxed as {@link TypeCode} says. */
    @Override
    public Object get(String field) {
        int k = type.indexOf(field);
        boolean t = Guard.enter(lock);
        try { return Access.get(code(k), memory, at(k)); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    /** Stores a boxed value in the field, converted as {@link TypeCode} says. */
    @Override
    public void set(String field, Object value) {
        int k = type.indexOf(field);
        boolean t = Guard.enter(lock);
        try { Access.set(code(k), memory, at(k), value); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    /** Every field's value, boxed, in declaration order (one lock acquisition): Python's tuple of the fields. */
    @Override
    public Object[] toArray() {
        boolean t = Guard.enter(lock);
        try {
            Object[] out = new Object[type.fields().size()];
            for (int k = 0; k < out.length; k++) out[k] = Access.get(code(k), memory, at(k));
            return out;
        } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    /**
     * Sets the fields in declaration order (one lock acquisition); fields after the values
     * given are zeroed, as a ctypes constructor leaves them.
     *
     * @throws IllegalArgumentException more values than fields, or a value that does not fit its field
     */
    @Override
    public void setAll(Object... values) {
        boolean t = Guard.enter(lock);
        try { write(type, memory, base, values); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    /** {@code Point(x=1.0, y=2.0)}. */
    @Override
    public String toString() {
        Object[] v = toArray();
        StringBuilder b = new StringBuilder(type.name()).append('(');
        for (int k = 0; k < v.length; k++) {
            if (k > 0) b.append(", ");
            b.append(type.fields().get(k).name()).append('=').append(v[k]);
        }
        return b.append(')').toString();
    }

    private TypeCode code(int k) { return type.fields().get(k).type(); }

    private long at(int k) { return base + type.offsetAt(k); }

    /**
     * Writes an initializer into the struct at {@code base}: an {@code Object[]} or
     * {@code List} of field values in order (missing trailing fields become zero), a
     * {@code Map} from field name to value (absent fields become zero), or another
     * {@code Struct} of the same type (copied).
     */
    static void write(StructType type, MemorySegment m, long base, Object init) {
        Objects.requireNonNull(init, "struct initializer");
        if (init instanceof ShmStruct s) {
            if (!s.type.equals(type)) throw new IllegalArgumentException("a " + s.type + " is not a " + type);
            MemorySegment.copy(s.memory, s.base, m, base, type.size());
            return;
        }
        if (init instanceof Struct s) {
            if (!s.type().equals(type)) throw new IllegalArgumentException("a " + s.type() + " is not a " + type);
            init = s.toArray();
        }
        // built aside (8-byte aligned, zeroed), then copied: a bad value leaves the struct as it was
        MemorySegment tmp = MemorySegment.ofArray(new long[(int) ((type.size() + 7) / 8)]);
        fill(type, tmp, init);
        MemorySegment.copy(tmp, 0, m, base, type.size());
    }

    private static void fill(StructType type, MemorySegment m, Object init) {
        long base = 0;
        switch (init) {
            case Object[] values -> writeValues(type, m, base, Arrays.asList(values));
            case List<?> values -> writeValues(type, m, base, values);
            case Map<?, ?> byName -> {
                for (Map.Entry<?, ?> e : byName.entrySet()) {
                    int k = type.indexOf(String.valueOf(e.getKey()));
                    Access.set(type.fields().get(k).type(), m, base + type.offsetAt(k), e.getValue());
                }
            }
            default -> throw new IllegalArgumentException("cannot initialize a " + type + " from a " + init.getClass().getName()
                    + ": give an Object[] or List of field values, a Map of field names to values, or a Struct");
        }
    }

    private static void writeValues(StructType type, MemorySegment m, long base, List<?> values) {
        if (values.size() > type.fields().size()) {
            throw new IllegalArgumentException("too many initializers: " + values.size() + " for the " + type.fields().size() + " fields of " + type);
        }
        for (int k = 0; k < values.size(); k++) Access.set(type.fields().get(k).type(), m, base + type.offsetAt(k), values.get(k));
    }
}
