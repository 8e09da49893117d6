package io.multiprocessing4j.distributed.internal;

import io.multiprocessing4j.sync.Condition;
import io.multiprocessing4j.sync.Lock;
import io.multiprocessing4j.sync.RLock;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Python's {@code multiprocessing.Condition}, built as CPython builds its own, from the lock
 * and three semaphores on the server: {@code sleeping} (threads that started waiting),
 * {@code woken} (waiters that stopped waiting, signalled or not) and {@code wait} (the
 * signals). A signaller first retires the waiters that timed out since the last signal,
 * then hands one {@code wait} permit to each of up to {@code n} sleepers, waits until that
 * many have woken, and takes back the permits nobody took; so only threads waiting when
 * {@code signal} is called can be woken.
 *
 * <p>A waiter killed in {@code await} never counts itself woken: the signaller waits for it
 * at most the context's lease and then takes its permit back.
 */
final class RedisCondition implements Condition, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient Home home;
    private final Lock lock;
    private final String name;
    private final transient RedisSemaphore sleeping, woken, waitSem;

    RedisCondition(Home home, String name, Lock lock) {
        this.home = home;
        this.name = name;
        this.lock = lock;
        this.sleeping = new RedisSemaphore(home, "cond:" + name + ":sleeping", 0, false);
        this.woken = new RedisSemaphore(home, "cond:" + name + ":woken", 0, false);
        this.waitSem = new RedisSemaphore(home, "cond:" + name + ":wait", 0, false);
    }

    @Override
    public Lock lock() { return lock; }

    private void checkOwned() {
        if (!lock.isHeldByCurrentThread())
            throw new IllegalMonitorStateException("the condition's lock is not held by this thread");
    }

    private int depth() {
        return lock instanceof RLock r ? r.getHoldCount() : 1;
    }

    /** Waits at most {@code nanos} for a signal, the lock let go of meanwhile; whether signalled. */
    private boolean waitNanos(long nanos, boolean interruptible) throws InterruptedException {
        checkOwned();
        if (interruptible && Thread.interrupted()) throw new InterruptedException();
        sleeping.release();
        int count = depth();
        for (int i = 0; i < count; i++) lock.release();
        boolean signalled = false;
        InterruptedException interrupt = null;
        try {
            while (true) {
                try {
                    signalled = waitSem.acquire(true, nanos == Long.MAX_VALUE ? null : Duration.ofNanos(nanos));
                    break;
                } catch (InterruptedException e) {
                    if (waitSem.tryAcquire()) { // signalled before the interrupt was seen: return normally
                        signalled = true;
                        Thread.currentThread().interrupt();
                        break;
                    }
                    if (interruptible) {
                        interrupt = e;
                        break;
                    }
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            woken.release();
            boolean interrupted = Thread.interrupted();
            for (int i = 0; i < count; i++) lock.lock();
            if (interrupted) Thread.currentThread().interrupt();
        }
        if (interrupt != null) throw interrupt;
        return signalled;
    }

    @Override
    public void await() throws InterruptedException {
        waitNanos(Long.MAX_VALUE, true);
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        return waitNanos(Waits.nanos(timeout), true);
    }

    @Override
    public void awaitUninterruptibly() {
        try {
            waitNanos(Long.MAX_VALUE, false);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        long start = System.nanoTime();
        waitNanos(Math.max(0, nanosTimeout), true);
        return nanosTimeout - (System.nanoTime() - start);
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        return waitNanos(Waits.nanos(time, unit), true);
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        return waitNanos(TimeUnit.MILLISECONDS.toNanos(Math.max(0, deadline.getTime() - System.currentTimeMillis())), true);
    }

    @Override
    public boolean waitFor(BooleanSupplier predicate, Duration timeout) throws InterruptedException {
        boolean result = predicate.getAsBoolean();
        long nanos = Waits.nanos(timeout);
        long start = System.nanoTime();
        while (!result) {
            long left = nanos == Long.MAX_VALUE ? nanos : nanos - (System.nanoTime() - start);
            if (left <= 0) break;
            waitNanos(left, true);
            result = predicate.getAsBoolean();
        }
        return result;
    }

    @Override
    public void signal() {
        signal(1);
    }

    @Override
    public void signalAll() {
        signal(Integer.MAX_VALUE);
    }

    @Override
    public void signal(int n) {
        checkOwned();
        // (no signal is pending here: the last signaller took back those nobody claimed)
        while (woken.tryAcquire()) {
            // retire a waiter that timed out (or was woken) since the last signal
            sleeping.tryAcquire();
        }
        int sleepers = 0;
        while (sleepers < n && sleeping.tryAcquire()) {
            waitSem.release();
            sleepers++;
        }
        if (sleepers == 0) return;
        try {
            for (int i = 0; i < sleepers; i++) {
                if (!woken(home.options().lease())) break; // a waiter died: stop waiting for the rest
            }
        } finally {
            while (waitSem.tryAcquire()) {
                // take back the signals of waiters that timed out (or died) meanwhile
            }
        }
    }

    /** Waits at most {@code patience} for a woken waiter to count itself, deaf to interrupts (re-asserted after). */
    private boolean woken(Duration patience) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return woken.acquire(true, patience);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "DistributedCondition[" + name + "]";
    }

    @Serial
    private Object writeReplace() {
        return new Ref(home.address(), "condition:" + (lock instanceof RLock ? "rlock:" : "lock:") + nameOf(lock), name, new long[0]);
    }

    static String nameOf(Lock lock) {
        if (lock instanceof RedisLock l) return l.name();
        if (lock instanceof RedisRLock l) return l.name();
        throw new IllegalArgumentException("a distributed condition needs a distributed lock, not " + lock);
    }
}
