package io.multiprocessing4j.sync;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A lock that threads of several processes share: Python's {@code multiprocessing.Lock},
 * and a {@link java.util.concurrent.locks.Lock}. Made by a context ({@code ctx.lock()}, a
 * lock without owner that any thread may release), by a manager, or by a distributed
 * backend; a program written against this type takes any of them.
 *
 * <h2>Blocking</h2>
 * Every waiting method honours {@link Thread#interrupt()} except {@link #lock()}, which, like
 * {@code java.util.concurrent.locks.Lock.lock()}, waits on and re-asserts the interrupt
 * status when it returns. Timeouts count from the call; zero or negative tries once;
 * {@code null} waits for ever.
 *
 * <h2>Memory visibility</h2>
 * Whatever a thread of any process wrote to the shared state before releasing the lock is
 * visible to a thread that acquires it afterwards, in any process.
 *
 * <h2>Owner death</h2>
 * A lock that records its holder ({@link #ownerDied()} can be true) is taken over from a
 * holder whose process died, by exactly one waiter, which is then told so once; the data
 * the lock guarded may be half-updated. A lock that cannot tell (a semaphore-like one)
 * documents so.
 */
public interface Lock extends java.util.concurrent.locks.Lock {

    /** Takes the lock, waiting as long as needed. */
    void acquire() throws InterruptedException;

    /**
     * Python's {@code acquire(block, timeout)}: with {@code block} false, one attempt (the
     * timeout is ignored); otherwise waits at most {@code timeout} ({@code null}: for ever).
     *
     * @return whether the lock was taken
     * @throws InterruptedException if interrupted while waiting; the lock is not taken
     */
    boolean acquire(boolean block, Duration timeout) throws InterruptedException;

    /**
     * Releases the lock. Who may: any thread for a {@link Lock}, the holder for an
     * {@link RLock}.
     *
     * @throws IllegalStateException if the lock is not held (Python's {@code ValueError})
     */
    void release();

    /** Whether any thread of any process holds the lock (a snapshot). */
    boolean locked();

    /**
     * True for the holder that took this lock over from a process that died holding it,
     * until that holder releases it.
     */
    boolean ownerDied();

    /** Whether the calling thread holds the lock. */
    boolean isHeldByCurrentThread();

    /** As {@link #acquire(boolean, Duration)} with {@code block} true. */
    @Override
    boolean tryLock(long time, TimeUnit unit) throws InterruptedException;
}
