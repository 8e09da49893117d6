package io.multiprocessing4j.sync;

import java.util.function.BooleanSupplier;

/**
 * Adaptive spinning before a sleep, learned per shared object in this process. A wait that
 * ended within {@link Futex#SPIN_NANOS} (by spinning, or by sleeping briefly) shows that a
 * full spin would have caught it: the budget goes back to the maximum. A wait that lasted
 * longer halves it (down to a microsecond). So ping-pong between warm processes never
 * sleeps, while a slow peer (one still compiling its code, a lock held for long) is not
 * robbed of the CPU it needs. The budget is a heuristic: threads update it without
 * synchronization. Used by every waiting primitive of the library.
 */
public final class Spinner {
    private static final long MIN_NANOS = 1_000;
    private long budget = Futex.SPIN_NANOS;

    /**
     * Spins until {@code done} is true or the budget is spent.
     *
     * @param start when the wait began ({@link System#nanoTime()})
     * @return {@code done}'s last value
     */
    public boolean spinUntil(BooleanSupplier done, long start) {
        long b = budget;
        if (b == 0) return done.getAsBoolean();
        for (int i = 0; ; i++) {
            if (done.getAsBoolean()) {
                budget = Futex.SPIN_NANOS;
                return true;
            }
            Thread.onSpinWait();
            if ((i & 15) == 15 && System.nanoTime() - start >= b) return false;
        }
    }

    /** Reports that a wait which began at {@code start} ended after sleeping. */
    public void slept(long start) {
        long waited = System.nanoTime() - start;
        budget = waited <= Futex.SPIN_NANOS ? Futex.SPIN_NANOS : Math.max(MIN_NANOS, budget / 2);
    }
}
