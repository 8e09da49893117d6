package io.multiprocessing4j.internal.managers;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The client's half of a blocking call: the wait runs on the server in slices of at most
 * {@link #NANOS}, so a waiting call holds a server thread only briefly, and the client
 * checks for an interrupt between slices. A slice's call itself is not cut short by an
 * interrupt ({@link ClientSession#callThrough}), so whatever the server took for the caller
 * in it reaches the caller. Timeouts in nanoseconds: negative waits for ever.
 */
final class Slice {
    private Slice() {}

    /** The longest wait one request makes on the server: bounds how late an interrupt is seen. */
    static final long NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private static final long FOREVER = Long.MIN_VALUE;

    /** A timeout as nanoseconds: null and one too long for a {@code long} wait for ever (-1), negative is zero. */
    static long nanos(Duration timeout) {
        if (timeout == null) return -1;
        if (timeout.isNegative()) return 0;
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    /** {@link #nanos(Duration)} for the {@code long, TimeUnit} forms. */
    static long nanos(long time, TimeUnit unit) {
        long n = unit.toNanos(Math.max(0, time));
        return n == Long.MAX_VALUE ? -1 : n;
    }

    /** When a wait of {@code nanos} (negative: for ever) that starts now ends. */
    static long deadline(long nanos) {
        if (nanos < 0) return FOREVER;
        long d = System.nanoTime() + nanos;
        return d == FOREVER ? d + 1 : d;
    }

    /** The next slice's length: at most {@link #NANOS}, 0 once the deadline has passed. */
    static long next(long deadline) {
        if (deadline == FOREVER) return NANOS;
        return Math.max(0, Math.min(NANOS, deadline - System.nanoTime()));
    }

    /** Whether {@code deadline} has passed. */
    static boolean over(long deadline) { return deadline != FOREVER && deadline - System.nanoTime() <= 0; }

    /** What is left until {@code deadline}: -1 for ever, else at least 0. */
    static long left(long deadline) { return deadline == FOREVER ? -1 : Math.max(0, deadline - System.nanoTime()); }

    /** The caller's id, which the server pairs with the session to name the owner of a lock or a wait. */
    static long thread() { return Thread.currentThread().threadId(); }
}
