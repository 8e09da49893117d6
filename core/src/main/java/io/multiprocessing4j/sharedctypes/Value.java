package io.multiprocessing4j.sharedctypes;

import io.multiprocessing4j.shm.Handle;
import io.multiprocessing4j.internal.shm.Heap;
import io.multiprocessing4j.internal.sync.ShmLock;
import io.multiprocessing4j.internal.sync.ShmRLock;
import io.multiprocessing4j.internal.sync.SharedLock;

import java.io.Serial;
import java.util.Objects;

/**
 * A {@link RawValue} with a lock that every accessor takes: Python's
 * {@code Value(t, *args, lock=True)}, the {@code Synchronized} wrapper. Make one with
 * {@code ctx.value('i', 7)} (a new {@link RLock}) or {@code ctx.value('i', 7, lock)} (a
 * {@link Lock} or {@link RLock} of yours, used as it is, perhaps shared by several values);
 * Python's {@code lock=False} is {@code ctx.rawValue(...)} or {@code ctx.value(..., false)},
 * which return a {@link RawValue} that has no {@code getLock()} (as Python's raw object has
 * no {@code get_lock()}).
 *
 * <p>The bytes are those of a {@link RawValue} (see its layout); the lock is a separate
 * shared object, so a value travels as two handles: {@link #handle()} and
 * {@code getLock().handle()}; {@link #attach(Handle, Handle)} joins them in an unrelated JVM.
 * Passed as a process argument, a {@code Value} carries both.
 *
 * <h2>Locking</h2>
 * Each accessor takes the lock for its one access, ignoring interrupts while it waits (as
 * {@link java.util.concurrent.locks.Lock#lock()}), and waits as long as the lock is held
 * elsewhere; blocking, memory visibility and owner death are those of {@link SharedLock}.
 * To make a read-modify-write atomic, hold the lock around it, as Python's
 * {@code with v.get_lock(): v.value += 1}:
 * <pre>{@code
 * v.getLock().lock();
 * try {
 *     v.setLong(v.getLong() + 1);
 * } finally {
 *     v.getLock().unlock();
 * }
 * }</pre>
 * An accessor called by the thread that already holds the lock does not take it again, so
 * this works with a plain {@link Lock} too (in Python it would wait for itself). The
 * lock-free atomics ({@link #incrementAndGet()} and kin) never take the lock.
 */
public final class Value extends RawValue {
    @Serial private static final long serialVersionUID = 1L;

    private transient RawValue obj;

    private Value(Heap.Block block, CType type, SharedLock lock) {
        super(block, type, Objects.requireNonNull(lock, "lock"));
    }

    private Value(Handle handle, SharedLock lock) {
        super(handle, Objects.requireNonNull(lock, "lock"));
    }

    /** A new value carved from {@code heap}, initialised as {@link RawValue#create}, guarded by a new {@link RLock}. */
    public static Value create(Heap heap, CType type, Object initial) {
        Heap.Block b = allocate(heap, type, initial);
        return new Value(b, type, ShmRLock.create(heap));
    }

    /**
     * A new value carved from {@code heap}, initialised as {@link RawValue#create}, guarded by
     * {@code lock}.
     */
    public static Value create(Heap heap, CType type, Object initial, io.multiprocessing4j.sync.Lock lock) {
        SharedLock shared = SharedLock.of(lock);
        return new Value(allocate(heap, type, initial), type, shared);
    }

    /** A view of the value that {@code handle} names, guarded by {@code lock} (which must be the lock its other users take). */
    public static Value attach(Handle handle, io.multiprocessing4j.sync.Lock lock) { return new Value(handle, SharedLock.of(lock)); }

    /** A view of the value {@code handle} names with the lock {@code lockHandle} names ({@code Lock} or {@code RLock}). */
    public static Value attach(Handle handle, Handle lockHandle) {
        SharedLock lock = switch (lockHandle.kind()) {
            case "Lock" -> ShmLock.attach(lockHandle);
            case "RLock" -> ShmRLock.attach(lockHandle);
            default -> throw new IllegalArgumentException("handle names a " + lockHandle.kind() + ", not a Lock or RLock");
        };
        return new Value(handle, lock);
    }

    /**
     * Python's {@code synchronized(obj, lock)}: a synchronized view of {@code raw}'s memory.
     *
     * @throws IllegalArgumentException if {@code raw} is already a {@code Value} ("object already synchronized")
     */
    public static Value synchronize(RawValue raw, io.multiprocessing4j.sync.Lock lock) {
        SharedLock shared = SharedLock.of(lock);
        if (raw instanceof Value) throw new IllegalArgumentException("object already synchronized");
        return new Value(raw.handle(), shared);
    }

    /** The lock each accessor takes: Python's {@code get_lock()}. */
    public SharedLock getLock() { return lock; }

    /** The same memory without the lock: Python's {@code get_obj()}. */
    public RawValue getObj() {
        RawValue o = obj;
        if (o == null) obj = o = new RawValue(handle(), null);
        return o;
    }

    /** {@code Synchronized(c_int(7))}. */
    @Override
    public String toString() { return "Synchronized(" + super.toString() + ")"; }
}
