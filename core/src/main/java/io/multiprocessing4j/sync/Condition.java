package io.multiprocessing4j.sync;

import io.multiprocessing4j.shm.Handle;
import io.multiprocessing4j.shm.Heap;
import io.multiprocessing4j.shm.Shared;

import java.io.Serial;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.multiprocessing4j.sync.Futex.INT;

/**
 * Python's {@code multiprocessing.Condition}, also a
 * {@link java.util.concurrent.locks.Condition}: threads of any process wait on it, holding
 * its lock, until another signals. The lock is a {@link Lock} or an {@link RLock} (the
 * default); a wait releases it completely and takes it back, at the same depth, before
 * returning. Python's {@code wait}, {@code notify} and {@code notify_all} are spelled
 * {@link #await()}, {@link #signal(int)} and {@link #signalAll()}, since
 * {@code java.lang.Object} owns the other names.
 * <pre>
 *  0        4        8        12
 *  +--------+--------+--------+
 *  | tokens | waiters| sleepers|
 *  +--------+--------+--------+
 *  sleepers  threads inside await that no signal has yet picked (changed under the lock)
 *  tokens    signals given and not yet taken by a waiter (the futex word)
 * </pre>
 * {@code signal(n)} moves up to {@code n} sleepers to tokens; a waiter leaves when it takes
 * a token. A waiter that times out or is interrupted first takes the lock back, then a token
 * if one is there (it counts as signalled), else gives up its sleeper place. Which of several
 * waiters a signal wakes is unspecified, and a waiter that arrives right after a signal may
 * take it in the place of an earlier one.
 *
 * <p><b>Blocking:</b> every await form throws {@link InterruptedException} if interrupted
 * while waiting (or, for a thread interrupted after it was signalled, returns normally
 * with its interrupt status set), except {@link #awaitUninterruptibly()}. <b>Memory
 * visibility:</b> as for the lock. <b>Peers that die:</b> a waiter killed inside
 * {@code await} can cause one later spurious wake-up; a signaller that dies cannot hang a
 * waiter that gave a timeout; a lock holder that dies is handled by the lock.
 *
 * <p>Every method except {@link #lock()} throws {@link IllegalMonitorStateException} when
 * the calling thread does not hold the lock.
 */
public final class Condition extends Shared implements java.util.concurrent.locks.Condition {
    @Serial private static final long serialVersionUID = 1L;
    private transient Spinner spinner;
    static final String KIND = "Condition";
    static final long SIZE = 12;
    private static final long TOKENS = 0, WAITERS = 4, SLEEPERS = 8;

    private final SharedLock lock;

    Condition(Heap.Block block, SharedLock lock) {
        super(block, KIND);
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    private Condition(Handle handle, SharedLock lock) {
        super(handle, KIND);
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    final Spinner spinner() {
        Spinner s = spinner;
        if (s == null) spinner = s = new Spinner();
        return s;
    }

    /** A view of the condition that {@code handle} names, over (a view of) the lock it was made with. */
    public static Condition attach(Handle handle, SharedLock lock) { return new Condition(handle, lock); }

    /** A new condition over {@code lock}, carved from {@code heap}. */
    public static Condition create(Heap heap, SharedLock lock) { return new Condition(heap.allocate(SIZE), lock); }

    /** The lock this condition is used with. */
    public SharedLock lock() { return lock; }

    /** Waits until signalled. */
    @Override
    public void await() throws InterruptedException {
        awaitNanos0(-1, true);
    }

    /**
     * Python's {@code wait(timeout)}: waits until signalled, at most {@code timeout}
     * ({@code null}: for ever).
     *
     * @return false if the timeout elapsed without a signal
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return awaitNanos0(Futex.nanos(timeout), true);
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        return awaitNanos0(Futex.nanos(time, unit), true);
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        long deadline = Futex.deadline(Math.max(0, nanosTimeout));
        awaitNanos0(Math.max(0, nanosTimeout), true);
        return deadline - System.nanoTime();
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        return awaitNanos0(Futex.nanos(Duration.between(Instant.now(), deadline.toInstant())), true);
    }

    @Override
    public void awaitUninterruptibly() {
        try {
            awaitNanos0(-1, false);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Python's {@code wait_for}: waits until {@code predicate} is true, evaluating it under
     * the lock first and after each wake-up, at most {@code timeout} in all ({@code null}:
     * for ever).
     *
     * @return the predicate's last value
     */
    public boolean waitFor(BooleanSupplier predicate, Duration timeout) throws InterruptedException {
        boolean result = predicate.getAsBoolean();
        long deadline = Futex.deadline(Futex.nanos(timeout));
        while (!result) {
            long left = Futex.remaining(deadline);
            if (left == 0) break;
            awaitNanos0(deadline == Long.MAX_VALUE ? -1 : left, true);
            result = predicate.getAsBoolean();
        }
        return result;
    }

    /** Wakes one waiter, if any: Python's {@code notify()}. */
    @Override
    public void signal() { signal(1); }

    /** Wakes up to {@code n} waiters: Python's {@code notify(n)}. */
    public void signal(int n) {
        checkHeld("lock is not owned");
        if (n < 0) throw new IllegalArgumentException("n must be >= 0");
        MemorySegment m = memory();
        int sleepers = (int) INT.getVolatile(m, SLEEPERS);
        int k = Math.min(n, sleepers);
        if (k == 0) return;
        INT.setVolatile(m, SLEEPERS, sleepers - k);
        int ignored = (int) INT.getAndAdd(m, TOKENS, k);
        Futex.wake(m, TOKENS, WAITERS, k);
    }

    /** Wakes every waiter: Python's {@code notify_all()}. */
    @Override
    public void signalAll() { signal(Integer.MAX_VALUE); }

    private boolean awaitNanos0(long nanos, boolean interruptible) throws InterruptedException {
        checkHeld("must acquire() condition before using wait()");
        MemorySegment m = memory();
        int ignored = (int) INT.getAndAdd(m, SLEEPERS, 1);
        int saved = lock.releaseForWait();
        boolean signalled = false, interrupted = false;
        long deadline = Futex.deadline(nanos);
        try {
            long start = System.nanoTime();
            boolean spun = spinner().spinUntil(() -> (int) INT.getVolatile(m, TOKENS) != 0, start); // a signal often follows at once
            for (int round = 0; ; round++) {
                if (takeToken(m)) {
                    if (!spun) spinner().slept(start);
                    signalled = true;
                    break;
                }
                long left = Futex.remaining(deadline);
                if (left == 0) break;
                try {
                    Futex.sleep(m, TOKENS, WAITERS, 0, left, round);
                } catch (InterruptedException e) {
                    interrupted = true;
                    if (interruptible) break;
                }
            }
        } finally {
            lock.restore(saved);
        }
        if (!signalled) {
            signalled = takeToken(m);
            if (!signalled) ignored = (int) INT.getAndAdd(m, SLEEPERS, -1);
        }
        if (interrupted) {
            if (interruptible && !signalled) throw new InterruptedException();
            Thread.currentThread().interrupt();
        }
        return signalled;
    }

    private static boolean takeToken(MemorySegment m) {
        for (int t; (t = (int) INT.getVolatile(m, TOKENS)) > 0; ) {
            if (INT.compareAndSet(m, TOKENS, t, t - 1)) return true;
        }
        return false;
    }

    private void checkHeld(String message) {
        if (!lock.isHeldByCurrentThread()) throw new IllegalMonitorStateException(message);
    }

    @Override
    public String toString() {
        return "Condition(" + lock + ", " + (int) INT.getVolatile(memory(), SLEEPERS) + ")";
    }
}
