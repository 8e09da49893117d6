package io.multiprocessing4j.sharedctypes;

import io.multiprocessing4j.shm.Handle;
import io.multiprocessing4j.internal.shm.Heap;
import io.multiprocessing4j.internal.sync.ShmLock;
import io.multiprocessing4j.internal.sync.ShmRLock;
import io.multiprocessing4j.internal.sync.SharedLock;

import java.io.Serial;
import java.util.Objects;

/**
 * A {@link RawArray} with a lock that every accessor takes: Python's
 * {@code Array(t, size_or_initializer, lock=True)} ({@code SynchronizedArray}, and
 * {@code SynchronizedString} for {@code 'c'} arrays). Make one with
 * {@code ctx.array('d', 10)} (a new {@link RLock}) or {@code ctx.array('d', 10, lock)} (a
 * {@link Lock} or {@link RLock} of yours, used as it is); Python's {@code lock=False} is
 * {@code ctx.rawArray(...)} or {@code ctx.array(..., false)}, which return a
 * {@link RawArray} with no {@code getLock()}.
 *
 * <p>The bytes are those of a {@link RawArray} (see its layout); the lock is a separate
 * shared object: {@link #attach(Handle, Handle)} joins the two handles in an unrelated JVM,
 * and an {@code Array} passed as a process argument carries both.
 *
 * <h2>Locking</h2>
 * Each accessor takes the lock for its one access; the group accessors ({@code read},
 * {@code write}, {@code slice}, {@code setSlice}, {@code longs}, {@code doubles},
 * {@code value}, {@code raw} and their setters) take it once for the whole group, so a
 * bulk copy is atomic against every other locked access. Waiting ignores interrupts, as
 * {@link java.util.concurrent.locks.Lock#lock()}; blocking, memory visibility and owner
 * death are those of {@link SharedLock}. Hold {@link #getLock()} around several accesses to
 * make them one; an accessor called by the thread that holds the lock does not take it
 * again (so a plain {@link Lock} works too). A {@link Struct} element view takes the
 * array's lock around each of its own accesses.
 */
public final class Array extends RawArray {
    @Serial private static final long serialVersionUID = 1L;

    private transient RawArray obj;

    private Array(Heap.Block block, CType type, int length, SharedLock lock) {
        super(block, type, length, Objects.requireNonNull(lock, "lock"));
    }

    private Array(Handle handle, SharedLock lock) {
        super(handle, Objects.requireNonNull(lock, "lock"));
    }

    /** A new array carved from {@code heap}, initialised as {@link RawArray#create}, guarded by a new {@link RLock}. */
    public static Array create(Heap heap, CType type, Object sizeOrInitializer) {
        int n = lengthOf(type, sizeOrInitializer);
        Heap.Block b = allocate(heap, type, n, sizeOrInitializer);
        return new Array(b, type, n, ShmRLock.create(heap));
    }

    /** A new array carved from {@code heap}, initialised as {@link RawArray#create}, guarded by {@code lock}. */
    public static Array create(Heap heap, CType type, Object sizeOrInitializer, io.multiprocessing4j.sync.Lock lock) {
        SharedLock shared = SharedLock.of(lock);
        int n = lengthOf(type, sizeOrInitializer);
        return new Array(allocate(heap, type, n, sizeOrInitializer), type, n, shared);
    }

    /** A view of the array that {@code handle} names, guarded by {@code lock} (which must be the lock its other users take). */
    public static Array attach(Handle handle, io.multiprocessing4j.sync.Lock lock) { return new Array(handle, SharedLock.of(lock)); }

    /** A view of the array {@code handle} names with the lock {@code lockHandle} names ({@code Lock} or {@code RLock}). */
    public static Array attach(Handle handle, Handle lockHandle) {
        SharedLock lock = switch (lockHandle.kind()) {
            case "Lock" -> ShmLock.attach(lockHandle);
            case "RLock" -> ShmRLock.attach(lockHandle);
            default -> throw new IllegalArgumentException("handle names a " + lockHandle.kind() + ", not a Lock or RLock");
        };
        return new Array(handle, lock);
    }

    /**
     * Python's {@code synchronized(obj, lock)}: a synchronized view of {@code raw}'s memory.
     *
     * @throws IllegalArgumentException if {@code raw} is already an {@code Array} ("object already synchronized")
     */
    public static Array synchronize(RawArray raw, io.multiprocessing4j.sync.Lock lock) {
        SharedLock shared = SharedLock.of(lock);
        if (raw instanceof Array) throw new IllegalArgumentException("object already synchronized");
        return new Array(raw.handle(), shared);
    }

    /** The lock each accessor takes: Python's {@code get_lock()}. */
    public SharedLock getLock() { return lock; }

    /** The same memory without the lock: Python's {@code get_obj()}. */
    public RawArray getObj() {
        RawArray o = obj;
        if (o == null) obj = o = new RawArray(handle(), null);
        return o;
    }

    /** {@code Synchronized(c_int_Array_3([1, 2, 3]))}. */
    @Override
    public String toString() { return "Synchronized(" + super.toString() + ")"; }
}
