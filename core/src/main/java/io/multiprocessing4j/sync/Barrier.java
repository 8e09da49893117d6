package io.multiprocessing4j.sync;

import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;

/**
 * Python's {@code multiprocessing.Barrier}, the cross-process cousin of
 * {@link java.util.concurrent.CyclicBarrier}: {@code parties} threads of any processes
 * call {@link #await()}; the last to arrive runs the action (if any) and releases them
 * all; the barrier is then ready for the next cycle.
 *
 * <p>A cycle breaks, for every thread in it and every later caller until {@link #reset()},
 * when a waiter times out, is interrupted, or the action throws, and on {@link #abort()}.
 * The thread that timed out gets a {@link BrokenBarrierException} caused by a
 * {@link java.util.concurrent.TimeoutException} (Python raises {@code BrokenBarrierError}
 * in all of them); the action's unchecked exception reaches the thread that ran it (a
 * checked one arrives as the cause of a {@link BrokenBarrierException}).
 *
 * <p><b>Blocking:</b> {@link #await()} waits for the cycle, or the default timeout given at
 * creation; {@link #await(Duration)} at most the timeout; an interrupt breaks the barrier
 * and throws {@link InterruptedException}. <b>Memory visibility:</b> what a thread wrote
 * before {@code await} is visible to every thread of the cycle after its {@code await}
 * returns, and to the action. <b>Peers that die:</b> a thread killed inside {@code await}
 * never arrives, so the others wait for their timeout, which then breaks the barrier: give
 * one when a peer may die.
 */
public interface Barrier {

    /**
     * Waits for the other parties, at most the default timeout given at creation (none if
     * none was given).
     *
     * @return this thread's arrival index, 0 to {@code parties - 1}; the last arrival gets
     *         {@code parties - 1} and runs the action
     * @throws BrokenBarrierException if the barrier is or becomes broken while waiting
     * @throws InterruptedException   if interrupted while waiting (the barrier breaks)
     */
    int await() throws InterruptedException, BrokenBarrierException;

    /** As {@link #await()}, waiting at most {@code timeout} ({@code null}: for ever). */
    int await(Duration timeout) throws InterruptedException, BrokenBarrierException;

    /** Ends the broken state, breaking the cycle in progress (its waiters get {@link BrokenBarrierException}). */
    void reset();

    /** Breaks the barrier: current and later waiters get {@link BrokenBarrierException} until {@link #reset()}. */
    void abort();

    /** How many threads each cycle takes. */
    int parties();

    /** How many threads wait in the current cycle (a snapshot). */
    int nWaiting();

    /** Whether the barrier is broken. */
    boolean isBroken();
}
