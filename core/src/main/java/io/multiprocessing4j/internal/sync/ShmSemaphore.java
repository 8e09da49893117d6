package io.multiprocessing4j.internal.sync;

import io.multiprocessing4j.internal.os.Timeouts;
import java.util.Objects;
import io.multiprocessing4j.shm.Handle;
import io.multiprocessing4j.internal.shm.Heap;
import io.multiprocessing4j.internal.shm.Shared;

import java.io.Serial;
import java.lang.foreign.MemorySegment;
import java.time.Duration;

import static io.multiprocessing4j.internal.sync.Futex.INT;

/**
 * Python's {@code multiprocessing.Semaphore}: a counter in shared memory that
 * {@link #acquire} decrements, waiting while it is zero, and {@link #release} increments,
 * without limit (up to {@link Integer#MAX_VALUE}) and from any thread of any process.
 * <pre>
 *  0        4        8        12
 *  +--------+--------+--------+
 *  | value  | waiters| max    |   value: the futex word; max: the bound, -1 when none
 *  +--------+--------+--------+
 * </pre>
 *
 * <p><b>Blocking:</b> {@code acquire} waits as long as needed, the timed forms at most the
 * timeout (zero tries once); both throw {@link InterruptedException} when interrupted while
 * waiting, without taking a permit. <b>Memory visibility:</b> what a thread wrote before a
 * {@code release} is visible to the thread whose {@code acquire} took that permit, in any
 * process.
 *
 * <p><b>Owner death:</b> a semaphore has no owner, so it cannot tell a permit held by a
 * killed process from one that is merely in use: the permits a dead process held are lost,
 * and waiters for them wait until their timeout. Use a timeout, or a {@link ShmLock} (which
 * records its holder), where a holder may be killed.
 */
public sealed class ShmSemaphore extends Shared implements io.multiprocessing4j.sync.Semaphore permits ShmBoundedSemaphore {
    @Serial private static final long serialVersionUID = 1L;
    static final String KIND = "Semaphore";
    // the layout drawn above
    private static final long VALUE = 0, WAITERS = VALUE + 4, MAX = WAITERS + 4;
    static final long SIZE = MAX + 4;

    private transient FutexWait<RuntimeException> permit; // made by the first wait

    ShmSemaphore(Heap.Block block, int value, int max, String kind) {
        super(block, kind);
        INT.setVolatile(memory(), MAX, max);
        INT.setVolatile(memory(), VALUE, value);
    }

    ShmSemaphore(Heap.Block block, int value) {
        this(block, value, -1, KIND);
    }

    ShmSemaphore(Handle handle, String kind) {
        super(handle, kind);
    }

    /** A view of the semaphore that {@code handle} names, made by any process. */
    public static ShmSemaphore attach(Handle handle) { return new ShmSemaphore(handle, KIND); }

    /**
     * A new semaphore with {@code value} permits, carved from {@code heap}.
     *
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public static ShmSemaphore create(Heap heap, int value) { return new ShmSemaphore(heap.allocate(SIZE), checkValue(value)); }

    static int checkValue(int value) {
        if (value < 0) throw new IllegalArgumentException("semaphore initial value must be >= 0, not " + value);
        return value;
    }

    /** Takes a permit, waiting while there is none. */
    public final void acquire() throws InterruptedException {
        acquireNanos(-1);
    }

    /**
     * Python's {@code acquire(block, timeout)}: with {@code block} false one attempt;
     * otherwise waits at most {@code timeout} ({@code null}: for ever).
     *
     * @return whether a permit was taken
     */
    public final boolean acquire(boolean block, Duration timeout) throws InterruptedException {
        if (!block) return tryAcquire();
        return acquireNanos(Timeouts.nanos(timeout));
    }

    /** Takes a permit if one is free, without waiting. */
    public final boolean tryAcquire() {
        MemorySegment m = memory();
        for (int v; (v = (int) INT.getVolatile(m, VALUE)) > 0; ) {
            if (INT.compareAndSet(m, VALUE, v, v - 1)) return true;
        }
        return false;
    }

    /** Waits at most {@code timeout} for a permit. */
    public final boolean tryAcquire(Duration timeout) throws InterruptedException {
        return acquireNanos(Math.max(0, Timeouts.nanos(Objects.requireNonNull(timeout, "timeout"))));
    }

    private boolean acquireNanos(long nanos) throws InterruptedException {
        if (tryAcquire()) return true;
        if (nanos == 0) return false;
        FutexWait<RuntimeException> w = permit;
        if (w == null) permit = w = new FutexWait<>(FutexWord.plain(memory(), VALUE, WAITERS), arg -> tryAcquire());
        return w.await(0, nanos);
    }

    /**
     * Adds a permit and wakes one waiter.
     *
     * @throws IllegalStateException past {@link Integer#MAX_VALUE}, or, for a
     *         {@link ShmBoundedSemaphore}, past its initial value
     */
    public final void release() {
        MemorySegment m = memory();
        int max = (int) INT.getVolatile(m, MAX);
        int limit = max < 0 ? Integer.MAX_VALUE : max;
        for (int v; ; ) {
            v = (int) INT.getVolatile(m, VALUE);
            if (v >= limit) {
                throw new IllegalStateException(max < 0 ? "semaphore value would overflow"
                        : "semaphore or lock released too many times");
            }
            if (INT.compareAndSet(m, VALUE, v, v + 1)) break;
        }
        Futex.wake(m, VALUE, WAITERS, 1);
    }

    /** The number of free permits (a snapshot). */
    public final int getValue() { return (int) INT.getVolatile(memory(), VALUE); }

    final int maxValue() { return (int) INT.getVolatile(memory(), MAX); }

    @Override
    public String toString() { return "Semaphore(value=" + getValue() + ")"; }
}
