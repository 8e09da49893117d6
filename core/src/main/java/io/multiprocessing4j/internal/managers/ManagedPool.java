package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.function.SerializableCallable;
import io.multiprocessing4j.function.SerializableFunction;
import io.multiprocessing4j.function.StarFunction;
import io.multiprocessing4j.pool.AsyncResult;
import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.pool.PoolIterator;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A manager's {@link Pool}: a process pool in the manager's server, made there with the
 * manager's start method. Calls send their function and their whole input (an iterable is
 * read to its end here, first); asynchronous calls return {@link ManagedAsyncResult}s and
 * {@link ManagedPoolIterator}s, managed objects of their own whose waits run on the server in
 * {@link Slice}s, as do {@link #join} and {@link #awaitTermination}. {@link #close()} is the
 * {@link java.util.concurrent.ExecutorService} one, then drops the reference; the server
 * terminates the pool when its last reference goes (its clients closed or died) or it shuts down.
 */
public final class ManagedPool extends ManagedObject implements Pool {

    ManagedPool(Token token, Session session) { super(token, session); }

    private static <E> ArrayList<E> all(Iterable<? extends E> inputs) {
        ArrayList<E> out = new ArrayList<>();
        for (E e : Objects.requireNonNull(inputs, "inputs")) out.add(e);
        return out;
    }

    /** What is left until {@code deadline}; null: for ever. */
    private static Duration left(long deadline) {
        long n = Slice.left(deadline);
        return n < 0 ? null : Duration.ofNanos(n);
    }

    /**
     * Calls {@code method} with its arguments packed in one {@code byte[]}: the server decodes
     * them itself so that a proxy of the same manager inside a task stays a proxy
     * ({@link PoolBuiltins#unpack}).
     */
    private Object packed(String method, Object... args) {
        byte[] b;
        try {
            b = ((ClientSession) session).wire.codec().encode(args);
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot send the task to the manager's pool: " + e.getMessage(), e);
        }
        return raw(method, (Object) b);
    }

    @SuppressWarnings("unchecked")
    private <T> ManagedAsyncResult<T> result(String method, Object... args) { return (ManagedAsyncResult<T>) packed(method, args); }

    @Override public int processes() { return (Integer) invoke("processes"); }

    // ================================================================ Python's calls

    @Override public <T> T apply(SerializableCallable<T> task) throws InterruptedException, ExecutionException { return applyAsync(task).get(); }

    @Override public <T> AsyncResult<T> applyAsync(SerializableCallable<T> task) { return applyAsync(task, null, null); }

    @Override
    public <T> AsyncResult<T> applyAsync(SerializableCallable<T> task, Consumer<? super T> callback, Consumer<? super Throwable> errorCallback) {
        return this.<T>result("applyAsync", Objects.requireNonNull(task, "task")).watch(callback, errorCallback);
    }

    @Override
    public <A, R> List<R> map(SerializableFunction<? super A, ? extends R> f, Iterable<? extends A> inputs) throws InterruptedException, ExecutionException {
        return map(f, inputs, 0);
    }

    @Override
    public <A, R> List<R> map(SerializableFunction<? super A, ? extends R> f, Iterable<? extends A> inputs, int chunksize)
            throws InterruptedException, ExecutionException {
        return this.<A, R>mapAsync(f, inputs, chunksize, null, null).get();
    }

    @Override
    public <A, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super A, ? extends R> f, Iterable<? extends A> inputs) {
        return mapAsync(f, inputs, 0, null, null);
    }

    @Override
    public <A, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super A, ? extends R> f, Iterable<? extends A> inputs, int chunksize,
                                               Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback) {
        return this.<List<R>>result("mapAsync", Objects.requireNonNull(f, "f"), all(inputs), chunksize).watch(callback, errorCallback);
    }

    @Override
    public <R> List<R> starmap(StarFunction<? extends R> f, Iterable<Object[]> argLists) throws InterruptedException, ExecutionException {
        return starmap(f, argLists, 0);
    }

    @Override
    public <R> List<R> starmap(StarFunction<? extends R> f, Iterable<Object[]> argLists, int chunksize) throws InterruptedException, ExecutionException {
        return this.<R>starmapAsync(f, argLists, chunksize, null, null).get();
    }

    @Override
    public <R> AsyncResult<List<R>> starmapAsync(StarFunction<? extends R> f, Iterable<Object[]> argLists, int chunksize,
                                                Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback) {
        return this.<List<R>>result("starmapAsync", Objects.requireNonNull(f, "f"), all(argLists), chunksize).watch(callback, errorCallback);
    }

    @Override
    public <A, R> PoolIterator<R> imap(SerializableFunction<? super A, ? extends R> f, Iterable<? extends A> inputs) { return imap(f, inputs, 1); }

    @Override
    @SuppressWarnings("unchecked")
    public <A, R> PoolIterator<R> imap(SerializableFunction<? super A, ? extends R> f, Iterable<? extends A> inputs, int chunksize) {
        return (PoolIterator<R>) packed("imap", Objects.requireNonNull(f, "f"), all(inputs), chunksize);
    }

    @Override
    public <A, R> PoolIterator<R> imapUnordered(SerializableFunction<? super A, ? extends R> f, Iterable<? extends A> inputs) {
        return imapUnordered(f, inputs, 1);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A, R> PoolIterator<R> imapUnordered(SerializableFunction<? super A, ? extends R> f, Iterable<? extends A> inputs, int chunksize) {
        return (PoolIterator<R>) packed("imapUnordered", Objects.requireNonNull(f, "f"), all(inputs), chunksize);
    }

    // ================================================================ ExecutorService

    /** Runs {@code command} in a worker; it must be {@link Serializable}. What it throws goes to a pool thread of the server. */
    @Override public void execute(Runnable command) { packed("execute", Objects.requireNonNull(command, "command")); }

    @Override public <T> AsyncResult<T> submit(Callable<T> task) { return result("submit", Objects.requireNonNull(task, "task")); }

    @Override public <T> AsyncResult<T> submit(SerializableCallable<T> task) { return submit((Callable<T>) task); }

    @Override public Future<?> submit(Runnable task) { return submit(task, null); }

    /** {@code task} must be {@link Serializable}, and {@code result} too. */
    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        Objects.requireNonNull(task, "task");
        return submit((SerializableCallable<T>) () -> {
            task.run();
            return result;
        });
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        return invokeAll(tasks, -1, TimeUnit.NANOSECONDS);
    }

    /** A negative {@code timeout} waits for ever. */
    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = Slice.deadline(timeout < 0 ? -1 : Slice.nanos(timeout, unit));
        List<Future<T>> out = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> t : tasks) out.add(submit(t));
            for (Future<T> f : out) {
                if (!((AsyncResult<T>) f).await(left(deadline))) break;
            }
            return out;
        } finally {
            for (Future<T> f : out) if (!f.isDone()) f.cancel(false);
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return invokeAny(tasks, -1, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(e); // no deadline
        }
    }

    /** A negative {@code timeout} waits for ever; the results are polled in turn, a slice each. */
    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (tasks.isEmpty()) throw new IllegalArgumentException("no tasks");
        long deadline = Slice.deadline(timeout < 0 ? -1 : Slice.nanos(timeout, unit));
        List<AsyncResult<T>> pending = new ArrayList<>();
        List<AsyncResult<T>> all = new ArrayList<>();
        try {
            for (Callable<T> t : tasks) all.add(submit(t));
            pending.addAll(all);
            ExecutionException last = null;
            while (!pending.isEmpty()) {
                for (var it = pending.iterator(); it.hasNext(); ) {
                    AsyncResult<T> r = it.next();
                    if (!r.await(Duration.ofNanos(Slice.next(deadline) / pending.size()))) continue;
                    it.remove();
                    try {
                        return r.get();
                    } catch (ExecutionException e) {
                        last = e;
                    } catch (CancellationException e) {
                        last = new ExecutionException(e);
                    }
                }
                if (Slice.over(deadline)) throw new TimeoutException("no task finished within the timeout");
            }
            throw last;
        } finally {
            for (AsyncResult<T> r : all) if (!r.isDone()) r.cancel(false);
        }
    }

    // ================================================================ life cycle

    @Override public void shutdown() { invoke("shutdown"); }

    @Override public void terminate() { invoke("terminate"); }

    @Override
    @SuppressWarnings("unchecked")
    public List<Runnable> shutdownNow() { return (List<Runnable>) invoke("shutdownNow"); }

    @Override public boolean isShutdown() { return (Boolean) invoke("isShutdown"); }

    @Override public boolean isTerminated() { return (Boolean) invoke("isTerminated"); }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = Slice.deadline(Slice.nanos(timeout, unit));
        for (;;) {
            if (Thread.interrupted()) throw new InterruptedException();
            if ((Boolean) through("awaitTermination", Slice.next(deadline))) return true;
            if (Slice.over(deadline)) return false;
        }
    }

    @Override
    public void join() throws InterruptedException {
        if (!isShutdown()) throw new IllegalStateException("the pool still takes calls: shutdown() or terminate() it first");
        awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    /** Shuts the pool down, waits until its work is done, then drops this proxy's reference (the server then terminates the pool if it was the last). */
    @Override
    public void close() {
        if (isClosed()) return;
        try {
            shutdown();
            boolean interrupted = false;
            for (;;) {
                try {
                    if (awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS)) break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        } finally {
            super.close();
        }
    }
}
