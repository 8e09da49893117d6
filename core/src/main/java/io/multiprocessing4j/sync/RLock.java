package io.multiprocessing4j.sync;

/**
 * Python's {@code multiprocessing.RLock}: a recursive {@link Lock}, owned by one thread of
 * one process, which may acquire it again and must release it as many times. Releasing it
 * from any other thread is an {@link IllegalMonitorStateException}. Blocking, memory
 * visibility and owner death: as {@link Lock} (a lock taken over from a dead owner starts
 * again at depth one).
 */
public interface RLock extends Lock {

    /**
     * Undoes one acquisition by the calling thread; the last one frees the lock and wakes
     * one waiter.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    @Override
    void release();

    /** How many times the calling thread holds the lock (0 when it does not). */
    int getHoldCount();
}
