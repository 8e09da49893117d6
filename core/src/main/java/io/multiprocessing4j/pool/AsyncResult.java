package io.multiprocessing4j.pool;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;

/**
 * The result of an asynchronous pool call: Python's {@code AsyncResult}, as a {@link Future}.
 *
 * <p>A task that failed makes {@link #get()} throw an {@link ExecutionException} whose cause
 * is the task's exception as the worker threw it (with the worker's stack trace), or a
 * {@link io.multiprocessing4j.process.RemoteException} copy of it when it could not be sent
 * back, or a {@link WorkerLostException} when the worker process ended while running the task.
 *
 * <p>{@link #cancel} drops the tasks of the call that no worker has taken yet; a task
 * already running finishes in its worker and its outcome is dropped. {@link Pool#terminate()}
 * cancels every result that is not ready.
 *
 * <p><b>Blocking:</b> the {@code get} and {@link #await} forms wait until the result is ready,
 * at most their timeout, and throw {@link InterruptedException} when the waiting thread is
 * interrupted. <b>Memory visibility:</b> the callbacks given with the call run, on a pool
 * thread, before the result is ready; they and what they did happen-before the return of a
 * {@code get} or {@code await} that sees the result ready.
 */
public interface AsyncResult<T> extends Future<T> {
    /**
     * Python's {@code get(timeout)}: the result, waiting at most {@code timeout}
     * ({@code null}: for ever; zero or negative: not at all).
     *
     * @throws TimeoutException      when it is not ready in time
     * @throws ExecutionException    when the call failed: the cause is its exception
     * @throws CancellationException when the call was cancelled or its pool terminated
     */
    T get(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException;

    /** Python's {@code wait(timeout)}: waits at most {@code timeout} ({@code null}: for ever) and says whether the result is ready. */
    boolean await(Duration timeout) throws InterruptedException;

    /** Python's {@code ready()}: whether the call has ended (done, failed or cancelled). */
    boolean ready();

    /**
     * Python's {@code successful()}: whether the call ended without an exception.
     *
     * @throws IllegalStateException when it has not ended
     */
    boolean successful();

    /** Drops the call's tasks that no worker has taken; see the class comment. {@code mayInterruptIfRunning} is ignored. */
    @Override
    boolean cancel(boolean mayInterruptIfRunning);

    /** A stage that completes as this result does; completing or cancelling it does not touch this result. */
    CompletableFuture<T> toCompletableFuture();
}
