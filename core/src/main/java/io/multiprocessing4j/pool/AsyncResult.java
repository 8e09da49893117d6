package io.multiprocessing4j.pool;

import io.multiprocessing4j.internal.os.Timeouts;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The result of an asynchronous pool call: Python's {@code AsyncResult}, as a {@link Future}.
 *
 * <p>A task that failed makes {@link #get()} throw an {@link ExecutionException} whose cause
 * is the task's exception as the worker threw it (with the worker's stack trace), or a
 * {@link io.multiprocessing4j.RemoteException} copy of it when it could not be sent back,
 * or a {@link WorkerLostException} when the worker process ended while running the task.
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
public final class AsyncResult<T> implements Future<T> {
    private final CompletableFuture<T> future = new CompletableFuture<>();
    private volatile Job job; // set once the call's job exists; cancel marks it done

    AsyncResult() {}

    void bind(Job job) { this.job = job; }

    boolean complete(T value) { return future.complete(value); }

    boolean fail(Throwable t) {
        return t instanceof CancellationException ? future.cancel(false) : future.completeExceptionally(t);
    }

    CompletableFuture<T> future() { return future; }

    @Override
    public T get() throws InterruptedException, ExecutionException { return future.get(); }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(Timeouts.nanos(timeout, unit), TimeUnit.NANOSECONDS);
    }

    /**
     * Python's {@code get(timeout)}: the result, waiting at most {@code timeout}
     * ({@code null}: for ever; zero or negative: not at all).
     *
     * @throws TimeoutException     when it is not ready in time
     * @throws ExecutionException   when the call failed: the cause is its exception
     * @throws CancellationException when the call was cancelled or its pool terminated
     */
    public T get(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        long nanos = Timeouts.nanos(timeout);
        return nanos < 0 ? future.get() : future.get(nanos, TimeUnit.NANOSECONDS);
    }

    /** Python's {@code wait(timeout)}: waits at most {@code timeout} ({@code null}: for ever) and says whether the result is ready. */
    public boolean await(Duration timeout) throws InterruptedException {
        try {
            get(timeout);
        } catch (ExecutionException | CancellationException e) {
            // ready all the same
        } catch (TimeoutException e) {
            return false;
        }
        return true;
    }

    /** Python's {@code ready()}: whether the call has ended (done, failed or cancelled). */
    public boolean ready() { return future.isDone(); }

    /**
     * Python's {@code successful()}: whether the call ended without an exception.
     *
     * @throws IllegalStateException when it has not ended
     */
    public boolean successful() {
        if (!future.isDone()) throw new IllegalStateException(this + " not ready");
        return !future.isCompletedExceptionally();
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = future.cancel(false);
        Job j = job;
        if (cancelled && j != null) j.abandon(new CancellationException());
        return cancelled;
    }

    @Override
    public boolean isCancelled() { return future.isCancelled(); }

    @Override
    public boolean isDone() { return future.isDone(); }

    /** A stage that completes as this result does; completing or cancelling it does not touch this result. */
    public CompletableFuture<T> toCompletableFuture() { return future.copy(); }

    @Override
    public String toString() {
        return "AsyncResult[" + (future.isDone() ? future.isCompletedExceptionally() ? "failed" : "done" : "pending") + "]";
    }
}
