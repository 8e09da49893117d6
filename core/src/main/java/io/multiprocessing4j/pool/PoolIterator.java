package io.multiprocessing4j.pool;

import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The results of {@link Pool#imap} (in the inputs' order) or {@link Pool#imapUnordered} (in
 * the order they are ready): Python's {@code IMapIterator}.
 *
 * <p>A failed task (a chunk of inputs) makes the next call throw its exception once, at the
 * task's place; the iteration then goes on with the next task, without the failed task's
 * results. An exception thrown by the input iterable itself is thrown at the place it broke
 * off, and ends the iteration.
 *
 * <p><b>Blocking:</b> {@link #hasNext} and {@link #next} wait until the next result is ready
 * or the results are known to be over. {@link #next(Duration)} is the checked form, Python's
 * {@code next(timeout)}: it waits at most its timeout and throws {@link TimeoutException},
 * {@link ExecutionException} for a failed task and {@link InterruptedException}. The
 * {@link Iterator} methods cannot throw those: they throw {@link CompletionException} with the
 * task's exception, or with an {@link InterruptedException} (the thread's interrupt status
 * then set again). After {@link Pool#terminate()} or {@link #cancel()}, the calls that find
 * no result left throw {@link CancellationException}; after the pool broke,
 * {@link ExecutionException} with the cause. <b>Memory visibility:</b> a result, and what
 * its worker thread did before returning it (thread pools), happen-before the call that
 * returns it. One consumer at a time; the object is thread-safe.
 */
public interface PoolIterator<R> extends Iterator<R> {
    /** Whether another result, or a failure, is to come; waits until that is known. */
    @Override
    boolean hasNext();

    /** The next result; see the class comment for what it throws. */
    @Override
    R next();

    /**
     * The next result, waiting at most {@code timeout} ({@code null}: for ever).
     *
     * @throws NoSuchElementException when the results are over
     * @throws TimeoutException       when the next result is not ready in time
     * @throws ExecutionException     at the place of a failed task, or where the input broke off
     * @throws CancellationException  when the pool was terminated before the results were in
     */
    R next(Duration timeout) throws InterruptedException, TimeoutException, ExecutionException;

    /**
     * Stops the call: no more input is read, tasks not yet taken by a worker are dropped, the
     * results not yet taken are dropped, and the waiting calls throw
     * {@link CancellationException}. The way to end an {@code imap} over an endless input.
     */
    void cancel();
}
