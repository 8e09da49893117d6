package io.multiprocessing4j.sync;

import java.time.Duration;

/**
 * Python's {@code multiprocessing.Event}: a flag shared by processes that threads wait to
 * see set.
 *
 * <p><b>Blocking:</b> {@link #await()} waits until the flag is set; {@link #await(Duration)}
 * at most the timeout (zero or negative: no wait; {@code null}: for ever); both throw
 * {@link InterruptedException} when interrupted. <b>Memory visibility:</b> what a thread
 * wrote before {@link #set()} is visible to a thread that then sees the flag set. A setter
 * that dies cannot hang a waiter that gave a timeout.
 */
public interface Event {

    /** Whether the flag is set (a snapshot). */
    boolean isSet();

    /** Sets the flag and wakes every waiter. */
    void set();

    /** Clears the flag. */
    void clear();

    /** Waits until the flag is set. */
    void await() throws InterruptedException;

    /**
     * Python's {@code wait(timeout)}: waits until the flag is set, at most {@code timeout}.
     *
     * @return whether the flag is set
     */
    boolean await(Duration timeout) throws InterruptedException;
}
