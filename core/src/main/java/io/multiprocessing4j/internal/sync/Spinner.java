package io.multiprocessing4j.internal.sync;

/**
 * Adaptive spinning before a sleep, learned per shared object in this process. A wait that
 * ended within {@link Futex#SPIN_NANOS} (by spinning, or by sleeping briefly) shows that a
 * full spin would have caught it: the budget goes back to the maximum. A wait that lasted
 * longer halves it (down to a microsecond). So ping-pong between warm processes never
 * sleeps, while a slow peer (one still compiling its code, a lock held for long) is not
 * robbed of the CPU it needs.
 *
 * <p>Once the budget is down, a wait ends by a wake-up, and a wake-up can itself take longer
 * than {@link Futex#SPIN_NANOS} (tens of microseconds on a busy or virtual machine): the
 * waits would then never look short again, and two peers that were slow once (a child
 * still interpreting its first thousand operations) would go on sleeping on every round
 * after both became fast. So a reduced budget is probed: every so many waits (8, doubling
 * while probes fail, up to 256) spin the full budget once; a probe that succeeds restores it.
 *
 * <p>The budget is a heuristic: threads update it without synchronization. Used by
 * {@link FutexWait}, for every wait of the library.
 */
final class Spinner {
    private static final long MIN_NANOS = 1_000;
    private static final int FIRST_PROBE = 8, LAST_PROBE = 256;
    private static final int MAX_PAUSES = 64;
    private final boolean backoff;
    private long budget = Futex.SPIN_NANOS;
    private int sinceProbe, probeEvery = FIRST_PROBE;

    /** A spinner that checks its condition after every pause: for a wait on a signal. */
    Spinner() { this(false); }

    /**
     * With {@code backoff}, the pauses between checks double (up to {@value #MAX_PAUSES}):
     * for a lock, where each check takes the holder's cache line away from it and a waiter
     * that checks less often lets the holder run on.
     */
    Spinner(boolean backoff) { this.backoff = backoff; }

    /**
     * Spins until {@code done} answers true for {@code arg}, the budget is spent or
     * {@code limitNanos} have passed since {@code start} ({@link System#nanoTime()}): a timed
     * wait spins no longer than its timeout.
     *
     * @return {@code done}'s last answer
     */
    boolean spinUntil(FutexWait.Test<?> done, long arg, long start, long limitNanos) {
        long b = Math.min(budget, limitNanos);
        if (b == 0) return done.ready(arg);
        boolean probe = false;
        if (b < Futex.SPIN_NANOS && b < limitNanos && ++sinceProbe >= probeEvery) {
            sinceProbe = 0;
            probe = true;
            b = Math.min(Futex.SPIN_NANOS, limitNanos);
        }
        for (int i = 0, pauses = 1; ; i++) {
            if (done.ready(arg)) {
                budget = Futex.SPIN_NANOS;
                if (probe) probeEvery = FIRST_PROBE;
                return true;
            }
            for (int p = 0; p < pauses; p++) Thread.onSpinWait();
            if (backoff && pauses < MAX_PAUSES) pauses <<= 1;
            if ((i & 15) == 15 && System.nanoTime() - start >= b) {
                if (probe) probeEvery = Math.min(LAST_PROBE, probeEvery * 2);
                return false;
            }
        }
    }

    /** Reports that a wait which began at {@code start} ended after sleeping. */
    void slept(long start) {
        long waited = System.nanoTime() - start;
        budget = waited <= Futex.SPIN_NANOS ? Futex.SPIN_NANOS : Math.max(MIN_NANOS, budget / 2);
    }
}
