package io.multiprocessing4j.queues;

import java.time.Duration;

/**
 * Python's {@code multiprocessing.JoinableQueue}: a {@link Queue} that counts unfinished
 * tasks. Every put adds one; {@link #taskDone()} (called by a consumer when it has finished
 * with an item it took) removes one; {@link #join()} waits until none is left. A consumer
 * killed before calling {@code taskDone} leaves its task unfinished for ever: give
 * {@link #join(Duration)} a timeout where that can happen.
 *
 * <p><b>Memory visibility:</b> what a thread wrote before {@link #taskDone()} is visible to a
 * thread whose {@code join} returned after it. Timeouts and interrupts as in {@link Queue}.
 *
 * @param <E> the type of the items
 */
public interface JoinableQueue<E> extends Queue<E> {

    /**
     * Marks one task done.
     *
     * @throws IllegalStateException "task_done() called too many times" when none is unfinished
     */
    void taskDone();

    /** Waits until every item put has been marked done. */
    void join() throws InterruptedException;

    /**
     * Waits at most {@code timeout} ({@code null}: for ever; negative: not at all) until every
     * item put has been marked done.
     *
     * @return false on timeout
     */
    boolean join(Duration timeout) throws InterruptedException;

    /** The number of unfinished tasks (a snapshot). */
    int unfinishedTasks();
}
