package io.multiprocessing4j.internal.os;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Every waiting method of the library turns its caller's timeout into nanoseconds and a
 * deadline here, and nowhere else, so that all of them take any value the same way.
 */
public final class Timeouts {
    private Timeouts() {}

    /**
     * A caller's timeout as the nanoseconds the waiting methods take: {@code null} is -1 (no
     * limit), a negative one 0 (do not wait), one too long for a {@code long} of nanoseconds
     * (about 292 years) {@link Long#MAX_VALUE}, which {@link #deadline(long)} makes no limit.
     */
    public static long nanos(Duration timeout) {
        if (timeout == null) return -1;
        if (timeout.isNegative()) return 0;
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * A caller's timeout in {@code java.util.concurrent}'s form as nanoseconds, by the rules
     * of {@link #nanos(Duration)}: negative is 0, too long is {@link Long#MAX_VALUE}.
     */
    public static long nanos(long time, TimeUnit unit) {
        return Math.max(0, unit.toNanos(time)); // toNanos saturates
    }

    /** Nanoseconds left until {@code deadline} ({@link Long#MAX_VALUE}: none); at least 0. */
    public static long remaining(long deadline) {
        return deadline == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, deadline - System.nanoTime());
    }

    /**
     * The deadline for a wait of {@code nanos} (negative: no limit): {@link Long#MAX_VALUE}
     * (no limit) when it would lie beyond the range of {@link System#nanoTime()}.
     */
    public static long deadline(long nanos) {
        if (nanos < 0) return Long.MAX_VALUE;
        long now = System.nanoTime(); // any sign: the subtraction below cannot overflow, nanos >= 0
        return now >= Long.MAX_VALUE - nanos ? Long.MAX_VALUE : now + nanos;
    }
}
