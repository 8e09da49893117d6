package io.multiprocessing4j.distributed.internal.pool;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The library's timeout rule: null is for ever, negative is zero, too long for a {@code long} of nanoseconds is no limit. */
final class Timeouts {
    static final long FOREVER = Long.MAX_VALUE;

    private Timeouts() {}

    static long nanos(Duration timeout) {
        if (timeout == null) return FOREVER;
        if (timeout.isNegative()) return 0;
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return FOREVER;
        }
    }

    static long nanos(long time, TimeUnit unit) {
        return time <= 0 ? 0 : unit.toNanos(time);
    }

    /** The deadline {@code nanos} from now ({@link #FOREVER} stays so). */
    static long deadline(long nanos) {
        if (nanos == FOREVER) return FOREVER;
        long d = System.nanoTime() + nanos;
        return d == FOREVER ? FOREVER - 1 : d;
    }

    /** Nanoseconds left until {@code deadline}, at least 0. */
    static long remaining(long deadline) {
        return deadline == FOREVER ? FOREVER : Math.max(0, deadline - System.nanoTime());
    }
}
