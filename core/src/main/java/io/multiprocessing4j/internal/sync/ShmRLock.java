package io.multiprocessing4j.internal.sync;

import io.multiprocessing4j.shm.Handle;
import io.multiprocessing4j.internal.shm.Heap;

import java.io.Serial;

/**
 * Python's {@code multiprocessing.RLock}: a recursive lock in shared memory, owned by one
 * thread of one process, which may acquire it again and must release it as many times.
 * Releasing it from any other thread is an {@link IllegalMonitorStateException}.
 * Blocking, memory visibility and owner death: see {@link SharedLock} (a lock taken over
 * from a dead owner starts again at depth one). Make one with {@code ctx.rlock()}.
 */
public final class ShmRLock extends SharedLock implements io.multiprocessing4j.sync.RLock {
    @Serial private static final long serialVersionUID = 1L;
    static final String KIND = "RLock";

    ShmRLock(Heap.Block block) {
        super(block, KIND);
    }

    private ShmRLock(Handle handle) {
        super(handle, KIND);
    }

    /** A view of the lock that {@code handle} names, made by any process. */
    public static ShmRLock attach(Handle handle) { return new ShmRLock(handle); }

    /** A new, unlocked recursive lock carved from {@code heap}. */
    public static ShmRLock create(Heap heap) { return new ShmRLock(heap.allocate(Mutex.SIZE)); }

    @Override
    boolean acquireNanos(long nanos) throws InterruptedException {
        Mutex m = mutex();
        if (m.heldByCurrentThread()) {
            int depth = m.count();
            if (depth == Integer.MAX_VALUE) throw new Error("maximum lock count exceeded");
            m.setCount(depth + 1);
            return true;
        }
        return m.acquire(nanos);
    }

    /**
     * Undoes one acquisition by the calling thread; the last one frees the lock and wakes
     * one waiter.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    @Override
    public void release() {
        Mutex m = mutex();
        if (!m.heldByCurrentThread()) {
            throw new IllegalMonitorStateException("attempt to release recursive lock not owned by thread");
        }
        int depth = m.count();
        if (depth > 1) {
            m.setCount(depth - 1);
        } else {
            m.releaseHeld();
        }
    }

    /** How many times the calling thread holds the lock (0 when it does not). */
    public int getHoldCount() {
        Mutex m = mutex();
        return m.heldByCurrentThread() ? m.count() : 0;
    }

    @Override
    int releaseForWait() {
        Mutex m = mutex();
        int depth = m.count();
        m.release();
        return depth;
    }

    @Override
    public String toString() {
        Mutex m = mutex();
        return "RLock(" + holderText() + ", " + (m.isLocked() ? m.count() : 0) + ")";
    }
}
