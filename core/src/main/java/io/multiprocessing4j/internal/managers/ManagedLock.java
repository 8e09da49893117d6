package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.sync.Lock;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A manager's {@link Lock} (and the base of its {@link ManagedRLock}): a {@link ServerLock}
 * owned by this thread of this client; waits in {@link Slice}s.
 */
public class ManagedLock extends ManagedObject implements Lock {

    ManagedLock(Token token, Session session) { super(token, session); }

    /**
     * Takes the lock at {@code depth}, waiting at most {@code nanos} (negative: for ever).
     * Interruptible: an interrupt seen between slices ends the wait; else it is kept for the caller.
     */
    final boolean acquireNanos(long nanos, boolean interruptible, int depth) throws InterruptedException {
        long deadline = Slice.deadline(nanos);
        boolean interrupted = false;
        try {
            for (;;) {
                if (Thread.interrupted()) {
                    if (interruptible) throw new InterruptedException();
                    interrupted = true;
                }
                int r = (Integer) through("acquire", Slice.thread(), Slice.next(deadline), depth);
                if (r != ServerLock.NOT_TAKEN) return true;
                if (Slice.over(deadline)) return false;
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** Takes the lock back at {@code depth} after a condition wait, whatever interrupts come. */
    final void restore(int depth) {
        try {
            acquireNanos(-1, false, depth);
        } catch (InterruptedException e) {
            throw new AssertionError("an uninterruptible wait was interrupted", e);
        }
    }

    @Override public void acquire() throws InterruptedException { acquireNanos(-1, true, 1); }

    @Override
    public boolean acquire(boolean block, Duration timeout) throws InterruptedException {
        return acquireNanos(block ? Slice.nanos(timeout) : 0, true, 1);
    }

    @Override public void release() { invoke("release", Slice.thread()); }

    @Override public boolean locked() { return (Boolean) invoke("locked"); }

    @Override public boolean ownerDied() { return (Boolean) invoke("ownerDied", Slice.thread()); }

    @Override public boolean isHeldByCurrentThread() { return (Boolean) invoke("heldBy", Slice.thread()); }

    /** Takes the lock, ignoring interrupts while it waits (the interrupt status is kept). */
    @Override
    public void lock() {
        try {
            acquireNanos(-1, false, 1);
        } catch (InterruptedException e) {
            throw new AssertionError("an uninterruptible wait was interrupted", e);
        }
    }

    @Override public void lockInterruptibly() throws InterruptedException { acquireNanos(-1, true, 1); }

    @Override
    public boolean tryLock() {
        try {
            return acquireNanos(0, false, 1);
        } catch (InterruptedException e) {
            throw new AssertionError("an uninterruptible wait was interrupted", e);
        }
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException { return acquireNanos(Slice.nanos(time, unit), true, 1); }

    @Override public void unlock() { release(); }

    /** Not supported: a managed condition is made by the manager, {@code manager.condition(lock)}. */
    @Override
    public java.util.concurrent.locks.Condition newCondition() {
        throw new UnsupportedOperationException("make a managed condition with manager.condition(lock)");
    }
}
