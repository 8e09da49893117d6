package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.pool.AsyncResult;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The result of an asynchronous call of a manager's pool: a managed object of its own
 * (typeid {@code AsyncResult}), whose waits run on the server in {@link Slice}s. The outcome,
 * once known, is kept here, so later reads make no round trip. Callbacks given with the call
 * run in this JVM, on a thread of this object that waits for the outcome; the result reads
 * ready here only after they ran, as {@link AsyncResult} says.
 */
public final class ManagedAsyncResult<T> extends ManagedObject implements AsyncResult<T> {
    private transient volatile List<?> outcome; // [state, payload] once not PENDING
    private transient volatile CountDownLatch callbacksRan; // null: no callbacks

    ManagedAsyncResult(Token token, Session session) { super(token, session); }

    /** Runs the callbacks (either may be null) once the outcome is known; called once, before the proxy is handed out. */
    ManagedAsyncResult<T> watch(Consumer<? super T> callback, Consumer<? super Throwable> errorCallback) {
        if (callback == null && errorCallback == null) return this;
        CountDownLatch ran = new CountDownLatch(1);
        callbacksRan = ran;
        Thread.ofVirtual().name("mp4j-managed-pool-callback").start(() -> {
            try {
                List<?> o = fetch(-1);
                int state = (Integer) o.get(0);
                if (state == PoolBuiltins.READY && callback != null) callback.accept(value(o));
                else if (state == PoolBuiltins.FAILED && errorCallback != null) errorCallback.accept((Throwable) o.get(1));
            } catch (Throwable t) {
                Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), t);
            } finally {
                ran.countDown();
            }
        });
        return this;
    }

    /** The outcome, waiting at most {@code nanos} (negative: for ever); null when not ready in time. */
    private List<?> fetch(long nanos) throws InterruptedException {
        List<?> o = outcome;
        if (o != null) return o;
        long deadline = Slice.deadline(nanos);
        for (;;) {
            if (Thread.interrupted()) throw new InterruptedException();
            o = (List<?>) through("get", Slice.next(deadline));
            if ((Integer) o.get(0) != PoolBuiltins.PENDING) return outcome = o;
            if (Slice.over(deadline)) return null;
        }
    }

    /** {@link #fetch}, then the callbacks' end, within the same deadline. */
    private List<?> await0(long nanos) throws InterruptedException {
        long deadline = Slice.deadline(nanos);
        List<?> o = fetch(nanos);
        CountDownLatch ran = callbacksRan;
        if (o == null || ran == null) return o;
        long left = Slice.left(deadline);
        if (left < 0) ran.await();
        else if (!ran.await(left, TimeUnit.NANOSECONDS)) return null;
        return o;
    }

    @SuppressWarnings("unchecked")
    private T value(List<?> o) throws ExecutionException {
        return switch ((Integer) o.get(0)) {
            case PoolBuiltins.READY -> (T) o.get(1);
            case PoolBuiltins.FAILED -> throw new ExecutionException((Throwable) o.get(1));
            default -> throw new CancellationException((String) o.get(1));
        };
    }

    @Override public T get() throws InterruptedException, ExecutionException { return value(await0(-1)); }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        List<?> o = await0(Slice.nanos(timeout, unit));
        if (o == null) throw new TimeoutException("the pool's result was not ready within " + timeout + " " + unit);
        return value(o);
    }

    @Override
    public T get(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        List<?> o = await0(Slice.nanos(timeout));
        if (o == null) throw new TimeoutException("the pool's result was not ready within " + timeout);
        return value(o);
    }

    @Override public boolean await(Duration timeout) throws InterruptedException { return await0(Slice.nanos(timeout)) != null; }

    @Override
    public boolean ready() {
        boolean interrupted = Thread.interrupted(); // a look without waiting: an interrupt is for the caller's next wait
        try {
            return await0(0) != null;
        } catch (InterruptedException e) {
            throw new AssertionError("a wait of zero was interrupted", e);
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    @Override public boolean isDone() { return ready(); }

    @Override
    public boolean successful() {
        if (!ready()) throw new IllegalStateException("the pool's result is not ready");
        return (Integer) outcome.get(0) == PoolBuiltins.READY;
    }

    @Override public boolean isCancelled() { return ready() && (Integer) outcome.get(0) == PoolBuiltins.CANCELLED; }

    @Override public boolean cancel(boolean mayInterruptIfRunning) { return (Boolean) invoke("cancel"); }

    @Override
    public CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread.ofVirtual().name("mp4j-managed-pool-future").start(() -> {
            try {
                f.complete(get());
            } catch (ExecutionException e) {
                f.completeExceptionally(e.getCause());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }
}
