package io.multiprocessing4j.distributed.internal.pool;

import io.multiprocessing4j.function.SerializableCallable;
import io.multiprocessing4j.function.SerializableFunction;
import io.multiprocessing4j.function.StarFunction;
import io.multiprocessing4j.pool.AsyncResult;
import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.pool.PoolIterator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The overloads of {@link Pool}'s calls and {@link java.util.concurrent.ExecutorService}'s
 * {@code invokeAll}/{@code invokeAny}, over the three kinds of call a pool makes: one
 * callable, a list of inputs, an iterator of inputs.
 */
abstract class PoolCalls implements Pool {

    abstract <T> DistAsyncResult<T> callOnce(Callable<?> task, Consumer<? super T> callback, Consumer<? super Throwable> errorCallback);

    abstract <R> AsyncResult<List<R>> listCall(byte kind, Object f, Iterable<?> inputs, int chunksize,
                                               Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback);

    abstract <R> PoolIterator<R> iterCall(Object f, Iterable<?> inputs, int chunksize, boolean ordered);

    @Override
    public <T> AsyncResult<T> applyAsync(SerializableCallable<T> task) { return applyAsync(task, null, null); }

    @Override
    public <T> AsyncResult<T> applyAsync(SerializableCallable<T> task, Consumer<? super T> callback, Consumer<? super Throwable> errorCallback) {
        return callOnce(Objects.requireNonNull(task, "task"), callback, errorCallback);
    }

    @Override
    public <A, R> List<R> map(SerializableFunction<? super A, ? extends R> f, Iterable<? extends A> inputs)
            throws InterruptedException, ExecutionException {
        return map(f, inputs, 0);
    }

    @Override
    public <A, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super A, ? extends R> f, Iterable<? extends A> inputs) {
        return mapAsync(f, inputs, 0, null, null);
    }

    @Override
    public <A, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super A, ? extends R> f, Iterable<? extends A> inputs,
                                               int chunksize, Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback) {
        return listCall(TaskWire.FUNCTION, f, inputs, chunksize, callback, errorCallback);
    }

    @Override
    public <R> List<R> starmap(StarFunction<? extends R> f, Iterable<Object[]> argLists) throws InterruptedException, ExecutionException {
        return starmap(f, argLists, 0);
    }

    @Override
    public <R> AsyncResult<List<R>> starmapAsync(StarFunction<? extends R> f, Iterable<Object[]> argLists, int chunksize,
                                                Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback) {
        return listCall(TaskWire.STAR, f, argLists, chunksize, callback, errorCallback);
    }

    @Override
    public <A, R> PoolIterator<R> imap(SerializableFunction<? super A, ? extends R> f, Iterable<? extends A> inputs) {
        return imap(f, inputs, 1);
    }

    @Override
    public <A, R> PoolIterator<R> imap(SerializableFunction<? super A, ? extends R> f, Iterable<? extends A> inputs, int chunksize) {
        return iterCall(f, inputs, chunksize, true);
    }

    @Override
    public <A, R> PoolIterator<R> imapUnordered(SerializableFunction<? super A, ? extends R> f, Iterable<? extends A> inputs) {
        return imapUnordered(f, inputs, 1);
    }

    @Override
    public <A, R> PoolIterator<R> imapUnordered(SerializableFunction<? super A, ? extends R> f, Iterable<? extends A> inputs, int chunksize) {
        return iterCall(f, inputs, chunksize, false);
    }

    @Override
    public <T> AsyncResult<T> submit(SerializableCallable<T> task) { return submit((Callable<T>) task); }

    /** Waits for {@code r}; an interrupted caller cancels it. */
    static <T> T await(AsyncResult<T> r) throws InterruptedException, ExecutionException {
        try {
            return r.get();
        } catch (InterruptedException e) {
            r.cancel(false);
            throw e;
        }
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        return invokeAll(tasks, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = Timeouts.deadline(Timeouts.nanos(timeout, unit));
        List<Future<T>> out = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> t : tasks) out.add(submit(t));
            for (Future<T> f : out) {
                try {
                    if (deadline == Timeouts.FOREVER) f.get();
                    else f.get(Timeouts.remaining(deadline), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | CancellationException e) {
                    // that future's own outcome
                } catch (TimeoutException e) {
                    break;
                }
            }
            return out;
        } finally {
            for (Future<T> f : out) f.cancel(false); // those not done when it returns, as ExecutorService says
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return invokeAny(tasks, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(e); // no deadline
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (tasks.isEmpty()) throw new IllegalArgumentException("no tasks");
        long deadline = Timeouts.deadline(Timeouts.nanos(timeout, unit));
        LinkedBlockingQueue<DistAsyncResult<T>> ready = new LinkedBlockingQueue<>();
        List<DistAsyncResult<T>> all = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> t : tasks) {
                DistAsyncResult<T> r = callOnce(Objects.requireNonNull(t, "task"), null, null);
                all.add(r);
                r.future().whenComplete((v, e) -> ready.add(r));
            }
            ExecutionException last = null;
            for (int i = 0; i < all.size(); i++) {
                DistAsyncResult<T> r = deadline == Timeouts.FOREVER ? ready.take()
                        : ready.poll(Timeouts.remaining(deadline), TimeUnit.NANOSECONDS);
                if (r == null) throw new TimeoutException("no task finished within the timeout");
                try {
                    return r.get();
                } catch (ExecutionException e) {
                    last = e;
                } catch (CancellationException e) {
                    last = new ExecutionException(e);
                }
            }
            throw last;
        } finally {
            for (DistAsyncResult<T> r : all) r.cancel(false);
        }
    }
}
