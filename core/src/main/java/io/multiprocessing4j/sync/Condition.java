package io.multiprocessing4j.sync;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Python's {@code multiprocessing.Condition}, also a
 * {@link java.util.concurrent.locks.Condition}: threads of any process wait on it, holding
 * its {@link #lock()}, until another signals. A wait releases the lock completely and takes
 * it back, at the same depth, before returning. Python's {@code wait}, {@code notify} and
 * {@code notify_all} are spelled {@link #await()}, {@link #signal(int)} and
 * {@link #signalAll()}, since {@code java.lang.Object} owns the other names.
 *
 * <p><b>Who is woken:</b> as in Python, {@code signal(n)} wakes up to {@code n} of the
 * threads that are waiting when it is called (which ones is unspecified); a thread that
 * starts waiting afterwards, the signaller included, cannot take their place. A waiter
 * wakes only when signalled, or when its timeout elapses or it is interrupted.
 *
 * <p><b>Blocking:</b> every await form throws {@link InterruptedException} if interrupted
 * while waiting (a thread interrupted after it was signalled returns normally with its
 * interrupt status set), except {@link #awaitUninterruptibly()}. Timeouts: zero or
 * negative does not wait, {@code null} waits for ever. <b>Memory visibility:</b> as for
 * the lock. Every method except {@link #lock()} throws {@link IllegalMonitorStateException}
 * when the calling thread does not hold the lock.
 */
public interface Condition extends java.util.concurrent.locks.Condition {

    /** The lock this condition is used with. */
    Lock lock();

    /**
     * Python's {@code wait(timeout)}: waits until signalled, at most {@code timeout}.
     *
     * @return false if the timeout elapsed without a signal
     */
    boolean await(Duration timeout) throws InterruptedException;

    /**
     * Python's {@code wait_for}: waits until {@code predicate} is true, evaluating it under
     * the lock first and after each wake-up, at most {@code timeout} in all.
     *
     * @return the predicate's last value
     */
    boolean waitFor(BooleanSupplier predicate, Duration timeout) throws InterruptedException;

    /** Wakes up to {@code n} of the threads waiting now: Python's {@code notify(n)}. */
    void signal(int n);
}
