package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.sync.Semaphore;

import java.time.Duration;

/** A manager's {@link Semaphore} (and the base of its bounded one): a {@link ServerSemaphore}; waits in {@link Slice}s. */
public class ManagedSemaphore extends ManagedObject implements Semaphore {

    ManagedSemaphore(Token token, Session session) { super(token, session); }

    private boolean acquireNanos(long nanos, boolean interruptible) throws InterruptedException {
        long deadline = Slice.deadline(nanos);
        boolean interrupted = false;
        try {
            for (;;) {
                if (Thread.interrupted()) {
                    if (interruptible) throw new InterruptedException();
                    interrupted = true;
                }
                if ((Boolean) through("acquire", Slice.next(deadline))) return true;
                if (Slice.over(deadline)) return false;
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    @Override public void acquire() throws InterruptedException { acquireNanos(-1, true); }

    @Override
    public boolean acquire(boolean block, Duration timeout) throws InterruptedException {
        return acquireNanos(block ? Slice.nanos(timeout) : 0, true);
    }

    @Override
    public boolean tryAcquire() {
        try {
            return acquireNanos(0, false);
        } catch (InterruptedException e) {
            throw new AssertionError("an uninterruptible wait was interrupted", e);
        }
    }

    @Override public boolean tryAcquire(Duration timeout) throws InterruptedException { return acquireNanos(Slice.nanos(timeout), true); }

    @Override public void release() { invoke("release"); }

    @Override public int getValue() { return (Integer) invoke("value"); }
}
