package io.multiprocessing4j.internal.sync;

import io.multiprocessing4j.shm.Handle;
import io.multiprocessing4j.internal.shm.Heap;

import java.io.Serial;

/**
 * Python's {@code multiprocessing.Lock}: a non-recursive lock in shared memory with no
 * owner, so any thread of any process may release it (a thread that acquires it twice
 * waits for itself). Releasing it when nobody holds it is an {@link IllegalStateException};
 * as in Python, two threads that both release one acquisition at the same moment may both
 * succeed, and the second release then frees whoever took the lock in between.
 * Blocking, memory visibility and owner death: see {@link SharedLock}. Make one with
 * {@code ctx.lock()}; pass it to a child as an argument or {@link #attach} its handle.
 *
 * <p>The first thread to take a lock is its bias owner and takes and releases it without
 * an atomic instruction (an uncontended pair costs about half as much) for as long as
 * nobody else wants it. The first other thread, of any process, to acquire it ends the bias
 * for good, which costs that one acquisition some tens of microseconds (every thread of
 * every process using the library executes a memory barrier).
 */
public final class ShmLock extends SharedLock {
    @Serial private static final long serialVersionUID = 1L;
    static final String KIND = "Lock";

    ShmLock(Heap.Block block) {
        super(block, KIND);
    }

    private ShmLock(Handle handle) {
        super(handle, KIND);
    }

    /** A view of the lock that {@code handle} names, made by any process. */
    public static ShmLock attach(Handle handle) { return new ShmLock(handle); }

    /** A new, unlocked lock carved from {@code heap}. */
    public static ShmLock create(Heap heap) { return new ShmLock(heap.allocate(Mutex.SIZE)); }

    @Override
    boolean acquireNanos(long nanos) throws InterruptedException {
        return mutex().acquire(nanos);
    }

    /**
     * Frees the lock, whoever holds it, and wakes one waiter.
     *
     * @throws IllegalStateException if the lock is not held
     */
    @Override
    public void release() {
        if (!mutex().release()) throw new IllegalStateException("semaphore or lock released too many times");
    }

    @Override
    int releaseForWait() {
        release();
        return 1;
    }

    @Override
    public String toString() { return "Lock(owner=" + holderText() + ")"; }
}
