package io.multiprocessing4j.distributed.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The one waiting loop every blocking call uses: attempt on the server, and while that
 * fails sleep until the object's channel signals or a {@link Signals#POLL} slice passes,
 * until the deadline. Timeouts follow the library's rule: {@code null} is for ever,
 * zero or negative is one attempt, one too long for a {@code long} of nanoseconds is no
 * limit. An interrupted thread gets {@link InterruptedException} on entry and while it
 * sleeps, never in the middle of an attempt (whose effect on the server would be lost).
 */
final class Waits {
    private Waits() {}

    /** One try on the server: the result, or null to wait and try again. */
    @FunctionalInterface
    interface Attempt<T> {
        T attempt();
    }

    /** {@code Long.MAX_VALUE} for no limit, else the timeout in nanoseconds, at least 0. */
    static long nanos(Duration timeout) {
        if (timeout == null) return Long.MAX_VALUE;
        if (timeout.isNegative()) return 0;
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    static long nanos(long time, TimeUnit unit) {
        return time <= 0 ? 0 : unit.toNanos(time);
    }

    /** Tries, then waits on {@code signal} between tries; the first non-null result, or null when {@code nanos} ran out. */
    static <T> T until(Signals.Signal signal, long nanos, Attempt<T> attempt) throws InterruptedException {
        return until(signal, nanos, attempt, null);
    }

    /** Tells an object's wakers how many wait: {@code +1} before a waiter's first sleep, {@code -1} when its wait ends. */
    @FunctionalInterface
    interface Waiters {
        void add(int delta);
    }

    /**
     * As {@link #until}, for an object whose wakers publish only while waiters are counted
     * ({@code waiters} null: one whose wakers always publish):
     * after the first failed attempt the waiter counts itself and attempts once more before
     * it sleeps (a waker between the two did not publish), and uncounts itself at the end.
     * The uncount failing (the server went away) is ignored: the result, perhaps an item taken,
     * is not lost for it, and a count left too high costs only messages nobody needed.
     */
    static <T> T until(Signals.Signal signal, long nanos, Attempt<T> attempt, Waiters waiters) throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        long start = System.nanoTime();
        boolean counted = false;
        try {
            while (true) {
                long seen = signal.generation();
                T r = attempt.attempt();
                if (r != null) return r;
                long left = nanos == Long.MAX_VALUE ? Long.MAX_VALUE : nanos - (System.nanoTime() - start);
                if (left <= 0) return null;
                if (!counted && waiters != null) {
                    waiters.add(1);
                    counted = true;
                    continue;
                }
                signal.await(seen, Math.min(left, Signals.POLL));
            }
        } finally {
            if (counted) {
                try {
                    waiters.add(-1);
                } catch (RuntimeException ignored) {
                    // see above
                }
            }
        }
    }

    /** As {@link #until}, waiting on and re-asserting interrupts (for {@code lock()} and kin). */
    static <T> T uninterruptibly(Signals.Signal signal, Attempt<T> attempt) {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    return until(signal, Long.MAX_VALUE, attempt);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
