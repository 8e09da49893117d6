package io.multiprocessing4j.sync;

import java.time.Duration;

/**
 * Python's {@code multiprocessing.Semaphore}: a counter shared by processes that
 * {@link #acquire} decrements, waiting while it is zero, and {@link #release} increments
 * (up to {@link Integer#MAX_VALUE}), from any thread of any process.
 *
 * <p><b>Blocking:</b> {@code acquire} waits as long as needed, the timed forms at most the
 * timeout (zero or negative tries once, {@code null} waits for ever); all throw
 * {@link InterruptedException} when interrupted while waiting, without taking a permit.
 * <b>Memory visibility:</b> what a thread wrote before a {@code release} is visible to the
 * thread whose {@code acquire} took that permit, in any process.
 *
 * <p><b>Owner death:</b> a semaphore has no owner, so it cannot tell a permit held by a
 * killed process from one in use: the permits a dead process held are lost, and waiters
 * for them wait until their timeout. Use a timeout, or a {@link Lock}, where a holder may
 * be killed.
 */
public interface Semaphore {

    /** Takes a permit, waiting while there is none. */
    void acquire() throws InterruptedException;

    /**
     * Python's {@code acquire(block, timeout)}: with {@code block} false one attempt;
     * otherwise waits at most {@code timeout} ({@code null}: for ever).
     *
     * @return whether a permit was taken
     */
    boolean acquire(boolean block, Duration timeout) throws InterruptedException;

    /** Takes a permit if one is free, without waiting. */
    boolean tryAcquire();

    /** Waits at most {@code timeout} (not null) for a permit. */
    boolean tryAcquire(Duration timeout) throws InterruptedException;

    /**
     * Adds a permit and wakes one waiter.
     *
     * @throws IllegalStateException past {@link Integer#MAX_VALUE}, or, for a
     *         {@link BoundedSemaphore}, past its initial value
     */
    void release();

    /** The number of free permits (a snapshot). */
    int getValue();
}
