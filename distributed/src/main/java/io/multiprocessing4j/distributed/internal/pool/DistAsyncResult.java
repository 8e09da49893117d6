package io.multiprocessing4j.distributed.internal.pool;

import io.multiprocessing4j.pool.AsyncResult;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The {@link AsyncResult} of a {@link RedisPool} call: a {@link CompletableFuture} that its job completes. */
final class DistAsyncResult<T> implements AsyncResult<T> {
    private final CompletableFuture<T> future = new CompletableFuture<>();
    private volatile ClientJob job; // set once the call's job exists: cancel abandons it

    void bind(ClientJob job) { this.job = job; }

    void complete(T value) { future.complete(value); }

    void fail(Throwable t) {
        if (t instanceof CancellationException) future.cancel(false);
        else future.completeExceptionally(t);
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
        return nanos == Timeouts.FOREVER ? future.get() : future.get(nanos, TimeUnit.NANOSECONDS);
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
        ClientJob j = job;
        if (cancelled && j != null) j.abandon(new CancellationException("the call was cancelled"));
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
