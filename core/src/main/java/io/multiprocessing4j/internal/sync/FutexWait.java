package io.multiprocessing4j.internal.sync;

import io.multiprocessing4j.internal.os.Timeouts;
import io.multiprocessing4j.shm.ClosedObjectException;

/**
 * The waiting engine: every blocking call of the library that waits on shared memory waits
 * here, as the locks of {@code java.util.concurrent} wait in
 * {@link java.util.concurrent.locks.AbstractQueuedSynchronizer}. A shared object binds one
 * per kind of wait on one of its words, with the {@link Test} that says when the wait is over
 * (a try-acquire, or a look at a position); the engine owns the rest: the adaptive spin
 * ({@link Spinner}), the deadline, the sleep on the word (plain, bell or fenced:
 * {@link FutexWord}), interrupts, the look at the peers the wait depends on (once per
 * {@link #LIVENESS_CHECK_NANOS}), and turns a failure of memory that was closed meanwhile
 * into {@link ClosedObjectException}.
 *
 * <p>A round reads the word, then runs the test, then sleeps while the word still holds what
 * it read: a waker changes the word after the state the test reads (or atomically with it),
 * so no wake-up is lost between the test and the sleep.
 *
 * <p>Thread-safe: the spin budget it learns is a heuristic that threads share without
 * synchronization.
 *
 * @param <X> the checked exception {@link Test#checkPeers} may throw
 */
public final class FutexWait<X extends Exception> {
    /**
     * How long a waiter sleeps before it looks at the peers its wait depends on (a lock's
     * holder, the processes holding a pipe's other end): the look reads {@code /proc}, and a
     * dead peer is found within about this long after the waiter began to wait.
     */
    public static final long LIVENESS_CHECK_NANOS = 100_000_000L;

    /**
     * A primitive's side of a wait: when it is over, and what to do about peers. The test and
     * the check must not allocate on the common path; build one instance per shared object.
     *
     * @param <X> what {@link #checkPeers} may throw
     */
    @FunctionalInterface
    public interface Test<X extends Exception> {
        /** Whether the wait is over; a try-acquire takes what it waits for as it answers true. */
        boolean ready(long arg);

        /**
         * Called in each round that {@link #ready} answered false, before the sleep, with
         * {@code livenessDue} true once per {@link #LIVENESS_CHECK_NANOS}: looks at the peers
         * the wait depends on. True ends the wait as a success (a lock taken over from a dead
         * holder, a stream whose writers are all gone); an exception ends it as a failure.
         *
         * @param seen the word's value, read before the test
         */
        default boolean checkPeers(long arg, int seen, boolean livenessDue) throws X { return false; }

        /** The longest sleep between two rounds: for a wait that should look again now and then although nobody wakes it. */
        default long maxSleepNanos() { return Long.MAX_VALUE; }
    }

    private final FutexWord word;
    private final Test<X> test;
    private final Spinner spinner;

    /** A wait on {@code word} until {@code test} answers true, spinning with a check after every pause. */
    public FutexWait(FutexWord word, Test<X> test) { this(word, test, new Spinner()); }

    /** As the public constructor, with {@code spinner} (a lock's backs off: {@link Spinner#Spinner(boolean)}). */
    FutexWait(FutexWord word, Test<X> test, Spinner spinner) {
        this.word = word;
        this.test = test;
        this.spinner = spinner;
    }

    public FutexWord word() { return word; }

    /** {@link #await(long, long, boolean)}, interruptible. */
    public boolean await(long arg, long nanos) throws InterruptedException, X {
        return await(arg, nanos, true);
    }

    /**
     * Waits until the test answers true for {@code arg}, at most {@code nanos}.
     *
     * @param nanos         negative: no limit; 0: one test, no wait
     * @param interruptible false: an interrupt does not end the wait, and the interrupt status
     *                      is set again when the wait ends, however it ends
     * @return true when the test (or {@link Test#checkPeers}) ended the wait, false when
     *         {@code nanos} passed first
     * @throws InterruptedException  if interruptible and interrupted before or while waiting (the
     *                               status cleared); a test that holds at once ends the wait first
     * @throws ClosedObjectException if the word's memory was closed before or while waiting
     */
    public boolean await(long arg, long nanos, boolean interruptible) throws InterruptedException, X {
        try {
            if (test.ready(arg)) return true;
            if (nanos == 0) return false;
            long start = System.nanoTime();
            long deadline = nanos < 0 || start >= Long.MAX_VALUE - nanos ? Long.MAX_VALUE : start + nanos;
            return awaitWaiting(arg, start, deadline, interruptible);
        } catch (IllegalStateException e) {
            throw ClosedObjectException.of(word.memory(), e);
        }
    }

    /**
     * {@link #await(long, long, boolean)} until {@code deadline} ({@link Timeouts#deadline};
     * {@link Long#MAX_VALUE}: none), which it reads the clock for only when the test fails.
     */
    public boolean awaitUntil(long arg, long deadline, boolean interruptible) throws InterruptedException, X {
        try {
            if (test.ready(arg)) return true;
            if (deadline == 0) return false; // a call that does not wait
            if (Timeouts.remaining(deadline) == 0) {
                if (interruptible && Thread.interrupted()) throw new InterruptedException();
                return false;
            }
            return awaitWaiting(arg, System.nanoTime(), deadline, interruptible);
        } catch (IllegalStateException e) {
            throw ClosedObjectException.of(word.memory(), e);
        }
    }

    private boolean awaitWaiting(long arg, long start, long deadline, boolean interruptible) throws InterruptedException, X {
        // The spin never looks at the interrupt status, and a short wait may end in it: look
        // here and at the timeout, as java.util.concurrent's waits do.
        if (interruptible && Thread.interrupted()) throw new InterruptedException();
        if (spinner.spinUntil(test, arg, start, deadline == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, deadline - start))) return true;
        boolean interrupted = false;
        try {
            long lastCheck = start;
            for (int round = 0; ; round++) {
                int seen = word.value();
                if (test.ready(arg)) {
                    spinner.slept(start);
                    return true;
                }
                long now = System.nanoTime();
                boolean due = now - lastCheck >= LIVENESS_CHECK_NANOS;
                if (due) lastCheck = now;
                if (test.checkPeers(arg, seen, due)) return true;
                long left = Timeouts.remaining(deadline);
                if (left == 0) {
                    if (interruptible && Thread.interrupted()) throw new InterruptedException();
                    return false;
                }
                try {
                    word.sleep(seen, Math.min(left, test.maxSleepNanos()), round);
                } catch (InterruptedException e) {
                    if (interruptible) throw e;
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
