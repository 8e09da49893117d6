package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.sync.Condition;
import io.multiprocessing4j.sync.Lock;

import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A manager's {@link Condition}: a {@link ServerCondition}. A wait begins (the server
 * releases the lock), waits for the signal in {@link Slice}s, ends, and takes the lock back
 * at its depth, uninterruptibly, whatever ended it.
 */
public final class ManagedCondition extends ManagedObject implements Condition {
    private transient volatile ManagedLock lock;

    ManagedCondition(Token token, Session session) { super(token, session); }

    @Override
    public Lock lock() {
        ManagedLock l = lock;
        if (l == null) lock = l = (ManagedLock) raw("lock"); // a proxy of the lock's object, with its own reference
        return l;
    }

    /** Waits at most {@code nanos} (negative: for ever); whether it was signalled. */
    private boolean await0(long nanos, boolean interruptible) throws InterruptedException {
        if (interruptible && Thread.interrupted()) throw new InterruptedException();
        ManagedLock l = (ManagedLock) lock();
        long id = ((Number) through("begin", Slice.thread())).longValue();
        long deadline = Slice.deadline(nanos);
        boolean interrupted = false, signalled;
        try {
            for (;;) {
                if (Thread.interrupted()) {
                    interrupted = true;
                    if (interruptible) break;
                }
                if ((Boolean) through("awaitSignal", id, Slice.next(deadline))) break;
                if (Slice.over(deadline)) break;
            }
        } finally {
            List<?> end = (List<?>) raw("end", id); // a signal that came meanwhile counts
            signalled = (Boolean) end.get(0);
            l.restore((Integer) end.get(1));
        }
        if (interrupted) {
            if (interruptible && !signalled) throw new InterruptedException();
            Thread.currentThread().interrupt();
        }
        return signalled;
    }

    @Override public void await() throws InterruptedException { await0(-1, true); }

    @Override
    public void awaitUninterruptibly() {
        try {
            await0(-1, false);
        } catch (InterruptedException e) {
            throw new AssertionError("an uninterruptible wait was interrupted", e);
        }
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        long start = System.nanoTime();
        boolean signalled = await0(Math.max(0, nanosTimeout), true);
        long left = nanosTimeout - (System.nanoTime() - start);
        return signalled ? Math.max(1, left) : Math.min(0, left);
    }

    @Override public boolean await(long time, TimeUnit unit) throws InterruptedException { return await0(Slice.nanos(time, unit), true); }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        return await0(TimeUnit.MILLISECONDS.toNanos(Math.max(0, deadline.getTime() - System.currentTimeMillis())), true);
    }

    @Override public boolean await(Duration timeout) throws InterruptedException { return await0(Slice.nanos(timeout), true); }

    @Override
    public boolean waitFor(BooleanSupplier predicate, Duration timeout) throws InterruptedException {
        long deadline = Slice.deadline(Slice.nanos(timeout));
        boolean result = predicate.getAsBoolean();
        while (!result) {
            long left = Slice.left(deadline);
            if (left == 0) break;
            await0(left, true);
            result = predicate.getAsBoolean();
        }
        return result;
    }

    @Override public void signal() { signal(1); }

    @Override public void signalAll() { signal(Integer.MAX_VALUE); }

    @Override public void signal(int n) { invoke("signal", Slice.thread(), n); }
}
