package io.multiprocessing4j.internal.sharedctypes;

import io.multiprocessing4j.internal.shm.Heap;
import io.multiprocessing4j.internal.sync.ShmRLock;
import io.multiprocessing4j.internal.sync.SharedLock;
import io.multiprocessing4j.sharedctypes.CType;
import io.multiprocessing4j.sharedctypes.RawValue;
import io.multiprocessing4j.sharedctypes.Value;
import io.multiprocessing4j.shm.Handle;

import java.io.Serial;
import java.util.Objects;

/**
 * A {@link Value}: the bytes of a {@link ShmRawValue}, and a separate shared lock that
 * every accessor takes through {@link Guard}. Serialized, it carries both handles.
 */
public final class ShmValue extends ShmRawValue implements Value {
    @Serial private static final long serialVersionUID = 1L;

    private transient ShmRawValue obj;

    private ShmValue(Heap.Block block, CType type, SharedLock lock) {
        super(block, type, Objects.requireNonNull(lock, "lock"));
    }

    private ShmValue(Handle handle, SharedLock lock) {
        super(handle, Objects.requireNonNull(lock, "lock"));
    }

    /** A new value carved from {@code heap}, initialised as {@link ShmRawValue#create}, guarded by a new RLock. */
    public static ShmValue create(Heap heap, CType type, Object initial) {
        Heap.Block b = allocate(heap, type, initial);
        return new ShmValue(b, type, ShmRLock.create(heap));
    }

    /** A view of the value that {@code handle} names, guarded by {@code lock} (which must be the lock its other users take). */
    public static ShmValue attach(Handle handle, SharedLock lock) { return new ShmValue(handle, lock); }

    /**
     * Python's {@code synchronized(obj, lock)}: a synchronized view of {@code raw}'s memory.
     *
     * @throws IllegalArgumentException if {@code raw} is already a {@code Value} ("object already
     *         synchronized"), or not a shared-memory value
     */
    public static ShmValue synchronize(RawValue raw, SharedLock lock) {
        Objects.requireNonNull(lock, "lock");
        if (raw instanceof Value) throw new IllegalArgumentException("object already synchronized");
        if (!(raw instanceof ShmRawValue r)) throw new IllegalArgumentException("not a shared-memory value: " + raw);
        return new ShmValue(r.handle(), lock);
    }

    @Override
    public SharedLock getLock() { return lock; }

    @Override
    public ShmRawValue getObj() {
        ShmRawValue o = obj;
        if (o == null) obj = o = new ShmRawValue(handle(), null);
        return o;
    }

    /** {@code Synchronized(c_int(7))}. */
    @Override
    public String toString() { return "Synchronized(" + super.toString() + ")"; }
}
