package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.internal.os.Timeouts;
import io.multiprocessing4j.pool.AsyncResult;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The {@link AsyncResult} of a {@link ShmPool} call: a {@link CompletableFuture} that its job completes. */
public final class ShmAsyncResult<T> implements AsyncResult<T> {
    private final CompletableFuture<T> future = new CompletableFuture<>();
    private volatile Job job; // set once the call's job exists; cancel marks it done

    ShmAsyncResult() {}

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

    @Override
    public T get(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        long nanos = Timeouts.nanos(timeout);
        return nanos < 0 ? future.get() : future.get(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
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

    @Override
    public boolean ready() { return future.isDone(); }

    @Override
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

    @Override
    public CompletableFuture<T> toCompletableFuture() { return future.copy(); }

    @Override
    public String toString() {
        return "AsyncResult[" + (future.isDone() ? future.isCompletedExceptionally() ? "failed" : "done" : "pending") + "]";
    }
}
