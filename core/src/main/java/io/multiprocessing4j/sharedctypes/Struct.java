package io.multiprocessing4j.sharedctypes;

import io.multiprocessing4j.internal.sync.SharedLock;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One struct in shared memory, seen through its {@link StructType}: the value of a
 * struct {@link RawValue}, or an element of a struct {@link RawArray}
 * ({@code points.struct(i)}). Fields are read and written by name, with the accessors and
 * conversion rules of {@link TypeCode}:
 * <pre>{@code
 * Struct p = points.struct(0);
 * p.setDouble("x", p.getDouble("x") * 2);
 * }</pre>
 * A view of a synchronized object ({@link Value}, {@link Array}) takes that object's lock
 * around each access, and around the whole of {@link #toArray()} and {@link #setAll};
 * hold the lock yourself ({@code getLock()}) to make several accesses one. A view of a raw
 * object takes no lock. The view is live: it reads the shared memory at each call.
 */
public final class Struct {
    private final StructType type;
    private final MemorySegment memory;
    private final long base;
    private final SharedLock lock;

    Struct(StructType type, MemorySegment memory, long base, SharedLock lock) {
        this.type = type;
        this.memory = memory;
        this.base = base;
        this.lock = lock;
    }

    public StructType type() { return type; }

    public long getLong(String field) {
        int k = type.indexOf(field);
        boolean t = Guard.enter(lock);
        try { return code(k).getLong(memory, at(k)); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    public void setLong(String field, long value) {
        int k = type.indexOf(field);
        boolean t = Guard.enter(lock);
        try { code(k).setLong(memory, at(k), value); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    public int getInt(String field) {
        int k = type.indexOf(field);
        boolean t = Guard.enter(lock);
        try { return code(k).getInt(memory, at(k)); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    public void setInt(String field, int value) { setLong(field, value); }

    public double getDouble(String field) {
        int k = type.indexOf(field);
        boolean t = Guard.enter(lock);
        try { return code(k).getDouble(memory, at(k)); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    public void setDouble(String field, double value) {
        int k = type.indexOf(field);
        boolean t = Guard.enter(lock);
        try { code(k).setDouble(memory, at(k), value); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    /** The field's value, boxed as {@link TypeCode} says. */
    public Object get(String field) {
        int k = type.indexOf(field);
        boolean t = Guard.enter(lock);
        try { return code(k).get(memory, at(k)); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    /** Stores a boxed value in the field, converted as {@link TypeCode} says. */
    public void set(String field, Object value) {
        int k = type.indexOf(field);
        boolean t = Guard.enter(lock);
        try { code(k).set(memory, at(k), value); } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    /** Every field's value, boxed, in declaration order (one lock acquisition): Python's tuple of the fields. */
    public Object[] toArray() {
        boolean t = Guard.enter(lock);
        try {
            Object[] out = new Object[type.fields().size()];
            for (int k = 0; k < out.length; k++) out[k] = code(k).get(memory, at(k));
            return out;
        } catch (InternalError e) { throw Guard.fault(e); } finally { Guard.exit(lock, t); }
    }

    /**
     * Sets the fields in declaration order (one lock acquisition); fields after the values
     * given are zeroed, as a ctypes constructor leaves them.
     *
     * @throws IllegalArgumentException more values than fields, or a value that does not fit its field
     */
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
        if (init instanceof Struct s) {
            if (!s.type.equals(type)) throw new IllegalArgumentException("a " + s.type + " is not a " + type);
            MemorySegment.copy(s.memory, s.base, m, base, type.size());
            return;
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
                    type.fields().get(k).type().set(m, base + type.offsetAt(k), e.getValue());
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
        for (int k = 0; k < values.size(); k++) type.fields().get(k).type().set(m, base + type.offsetAt(k), values.get(k));
    }
}
