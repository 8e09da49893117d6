package io.multiprocessing4j.internal.sync;

import io.multiprocessing4j.internal.os.Timeouts;
import io.multiprocessing4j.shm.Handle;
import io.multiprocessing4j.internal.shm.Heap;
import io.multiprocessing4j.internal.shm.Shared;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What {@link ShmLock} and {@link ShmRLock} share: a {@link Mutex} word in shared memory, the
 * Python-style {@code acquire}/{@code release}, and {@link java.util.concurrent.locks.Lock}.
 *
 * <h2>Blocking</h2>
 * Every waiting method honours {@link Thread#interrupt()} except {@link #lock()}, which, like
 * {@code java.util.concurrent.locks.Lock.lock()}, waits on and re-asserts the interrupt
 * status when it returns. Timeouts count from the call; a zero timeout tries once.
 * Interrupts are seen within {@link Futex#SLICE_NANOS} (sooner for virtual threads).
 *
 * <h2>Memory visibility</h2>
 * Whatever a thread of any process wrote to shared memory before releasing the lock is
 * visible to a thread that acquires it afterwards, in any process, as with
 * {@code java.util.concurrent} locks inside one JVM.
 *
 * <h2>Owner death</h2>
 * The lock records its holder: process id, process start time and thread. A waiter that
 * has waited about {@value FutexWait#LIVENESS_CHECK_NANOS} ns checks whether the holder's
 * process still runs; if it was killed, exactly one waiter takes the lock over (within a
 * second or so of the death) and is told so, once, in two ways: {@link #ownerDied()}
 * answers true to the new holder until it releases the lock, and a {@code WARNING} record
 * goes to the {@code System.Logger} named {@code io.multiprocessing4j.sync}. The data the
 * lock guarded may be half-updated: check {@link #ownerDied()} after acquiring where that
 * matters (pthread's {@code EOWNERDEAD} in Java dress). A holder thread that ends without
 * releasing while its process lives is not detected (as with any Java lock).
 */
public abstract sealed class SharedLock extends Shared implements io.multiprocessing4j.sync.Lock
        permits ShmLock, ShmRLock {
    @Serial private static final long serialVersionUID = 1L;

    private transient Mutex mutex;

    SharedLock(Heap.Block block, String kind) {
        super(block, kind);
        mutex = newMutex();
    }

    SharedLock(Handle handle, String kind) {
        super(handle, kind);
        mutex = newMutex();
    }

    // Made with the object, not on first use: compiled code would otherwise trap on the first
    // use of each new lock, and deoptimize (measured: lock_uncontended, a new lock per run).
    private Mutex newMutex() { return new Mutex(memory(), 0, handle(), this instanceof ShmRLock ? Mutex.Kind.RLOCK : Mutex.Kind.LOCK); }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        mutex = newMutex();
    }

    final Mutex mutex() { return mutex; }

    /**
     * The shared-memory lock behind {@code lock}: only one can guard shared memory.
     *
     * @throws IllegalArgumentException if {@code lock} is another backend's (a manager's proxy, say)
     * @throws NullPointerException     if {@code lock} is null
     */
    public static SharedLock of(io.multiprocessing4j.sync.Lock lock) {
        if (lock instanceof SharedLock s) return s;
        throw new IllegalArgumentException("not a shared-memory lock (made by a context): " + java.util.Objects.requireNonNull(lock, "lock"));
    }

    /** Takes the lock, waiting as long as needed; see the class comment on owner death. */
    public final void acquire() throws InterruptedException {
        acquireInterruptibly(-1);
    }

    /**
     * Python's {@code acquire(block, timeout)}: with {@code block} false, one attempt (the
     * timeout is ignored); otherwise waits at most {@code timeout} ({@code null}: for ever).
     *
     * @return whether the lock was taken
     * @throws InterruptedException if interrupted while waiting; the lock is not taken
     */
    public final boolean acquire(boolean block, Duration timeout) throws InterruptedException {
        if (!block) return acquireNanos(0);
        return acquireInterruptibly(Timeouts.nanos(timeout));
    }

    /** Releases the lock; see the subclasses for who may. */
    public abstract void release();

    /** Whether any thread of any process holds the lock. */
    public final boolean locked() { return mutex().isLocked(); }

    /**
     * True for the holder that took this lock over from a process that died holding it,
     * until that holder releases it. See the class comment.
     */
    public final boolean ownerDied() { return mutex().ownerDied(); }

    /**
     * Takes the lock over now if the process holding it is gone, instead of after the wait a
     * waiter makes before it checks: for a caller with reason to think the holder died. On
     * success the caller holds the lock and {@link #ownerDied()} is true. Returns false,
     * changing nothing, when the lock is free or its holder's process runs. Reads
     * {@code /proc} when the lock is held.
     */
    public final boolean takeOverIfHolderDied() { return mutex().takeOverIfHolderDied(); }

    /** Whether the calling thread holds the lock. */
    public final boolean isHeldByCurrentThread() { return mutex().heldByCurrentThread(); }

    abstract boolean acquireNanos(long nanos) throws InterruptedException;

    /** As java.util.concurrent's locks: an interrupted thread does not try before it waits (a zero wait does try). */
    private boolean acquireInterruptibly(long nanos) throws InterruptedException {
        if (nanos != 0 && Thread.interrupted()) throw new InterruptedException();
        return acquireNanos(nanos);
    }

    /** Lets go completely before a condition wait; returns what {@link #restore} needs. */
    abstract int releaseForWait();

    /** Takes the lock back after a condition wait, uninterruptibly. */
    final void restore(int saved) {
        mutex().acquireUninterruptibly();
        mutex().setCount(saved);
    }

    // ------------------------------------------------------------ java.util.concurrent.locks.Lock

    /** Takes the lock, ignoring interrupts while it waits (the interrupt status is kept). */
    @Override
    public final void lock() {
        boolean interrupted = false;
        while (true) {
            try {
                acquireNanos(-1);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    @Override
    public final void lockInterruptibly() throws InterruptedException { acquireInterruptibly(-1); }

    @Override
    public final boolean tryLock() {
        try {
            return acquireNanos(0);
        } catch (InterruptedException e) {
            throw new AssertionError("a zero wait does not sleep", e);
        }
    }

    @Override
    public final boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return acquireInterruptibly(Timeouts.nanos(time, unit));
    }

    @Override
    public final void unlock() { release(); }

    /**
     * Not supported: a condition lives in shared memory and is made by a context,
     * {@code ctx.condition(lock)}.
     */
    @Override
    public final java.util.concurrent.locks.Condition newCondition() {
        throw new UnsupportedOperationException("make a shared condition with Context.condition(lock)");
    }

    final String holderText() {
        Mutex m = mutex();
        int pid = m.holderPid();
        if (pid == 0) return "None";
        if (m.heldByCurrentThread()) return "this thread";
        return pid == Mutex.MY_PID ? "another thread" : "process " + pid;
    }
}
