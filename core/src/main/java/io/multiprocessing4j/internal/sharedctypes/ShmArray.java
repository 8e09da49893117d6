package io.multiprocessing4j.internal.sharedctypes;

import io.multiprocessing4j.internal.shm.Heap;
import io.multiprocessing4j.internal.sync.ShmRLock;
import io.multiprocessing4j.internal.sync.SharedLock;
import io.multiprocessing4j.sharedctypes.Array;
import io.multiprocessing4j.sharedctypes.CType;
import io.multiprocessing4j.sharedctypes.RawArray;
import io.multiprocessing4j.shm.Handle;

import java.io.Serial;
import java.util.Objects;

/**
 * An {@link Array}: the bytes of a {@link ShmRawArray}, and a separate shared lock that
 * every accessor takes through {@link Guard} (once for a group accessor). Serialized, it
 * carries both handles.
 */
public final class ShmArray extends ShmRawArray implements Array {
    @Serial private static final long serialVersionUID = 1L;

    private transient ShmRawArray obj;

    private ShmArray(Heap.Block block, CType type, int length, SharedLock lock) {
        super(block, type, length, Objects.requireNonNull(lock, "lock"));
    }

    private ShmArray(Handle handle, SharedLock lock) {
        super(handle, Objects.requireNonNull(lock, "lock"));
    }

    /** A new array carved from {@code heap}, initialised as {@link ShmRawArray#create}, guarded by a new RLock. */
    public static ShmArray create(Heap heap, CType type, Object sizeOrInitializer) {
        int n = lengthOf(type, sizeOrInitializer);
        Heap.Block b = allocate(heap, type, n, sizeOrInitializer);
        return new ShmArray(b, type, n, ShmRLock.create(heap));
    }

    /** A view of the array that {@code handle} names, guarded by {@code lock} (which must be the lock its other users take). */
    public static ShmArray attach(Handle handle, SharedLock lock) { return new ShmArray(handle, lock); }

    /**
     * Python's {@code synchronized(obj, lock)}: a synchronized view of {@code raw}'s memory.
     *
     * @throws IllegalArgumentException if {@code raw} is already an {@code Array} ("object already
     *         synchronized"), or not a shared-memory array
     */
    public static ShmArray synchronize(RawArray raw, SharedLock lock) {
        Objects.requireNonNull(lock, "lock");
        if (raw instanceof Array) throw new IllegalArgumentException("object already synchronized");
        if (!(raw instanceof ShmRawArray r)) throw new IllegalArgumentException("not a shared-memory array: " + raw);
        return new ShmArray(r.handle(), lock);
    }

    @Override
    public SharedLock getLock() { return lock; }

    @Override
    public ShmRawArray getObj() {
        ShmRawArray o = obj;
        if (o == null) obj = o = new ShmRawArray(handle(), null);
        return o;
    }

    /** {@code Synchronized(c_int_Array_3([1, 2, 3]))}. */
    @Override
    public String toString() { return "Synchronized(" + super.toString() + ")"; }
}
