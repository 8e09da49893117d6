package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.internal.os.Timeouts;
import io.multiprocessing4j.function.SerializableCallable;
import io.multiprocessing4j.function.SerializableFunction;
import io.multiprocessing4j.function.SerializableRunnable;
import io.multiprocessing4j.function.StarFunction;
import io.multiprocessing4j.pool.AsyncResult;
import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.pool.PoolIterator;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.process.Launcher;
import io.multiprocessing4j.process.StartMethod;
import io.multiprocessing4j.serial.Codec;
import io.multiprocessing4j.internal.shm.Heap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The {@link Pool} of the library: driver threads that each run a worker (a process started
 * by the pool's launcher, {@link ProcessWorker}, or a thread of this JVM, {@link ThreadWorker})
 * and take chunks of work from one {@link TaskSource}. A call is a {@link Job}; its result is a
 * {@link ShmAsyncResult} or a {@link ShmPoolIterator}. Worker pipes are carved from the heap
 * the pool is given, and functions, inputs and results cross in the pool's codec.
 */
public final class ShmPool implements Pool {
    private enum State { RUN, CLOSE, TERMINATE }

    /** How many tasks of an {@code imap} call may be cut ahead of the consumer, per worker. */
    public static final int IMAP_WINDOW_PER_WORKER = 4;

    final Launcher launcher; // starts the worker processes
    final Heap heap; // worker pipes are carved from it
    final SerializableRunnable initializer;
    final int maxTasks;
    final Codec codec;
    final TaskSource source = new TaskSource();
    private final int processes;
    private final boolean threads;
    private final Set<Job> live = ConcurrentHashMap.newKeySet(); // jobs not yet ended
    private final Set<BaseProcess> workers = new HashSet<>(); // worker processes running; under this
    private final Set<Thread> drivers = new HashSet<>(); // under this
    private State state = State.RUN; // under this
    private Throwable brokenBy; // under this
    private int names;

    /**
     * A running pool of {@code processes} workers, processes started by {@code launcher}, or
     * threads of this JVM when its start method is {@code thread}.
     *
     * @param heap             where the worker pipes are carved from
     * @param codec            what functions, inputs and results cross in
     * @param initializer      run by each worker before its first task (null: none)
     * @param maxTasksPerChild how many tasks a worker runs before it is replaced
     *                         ({@link Integer#MAX_VALUE}: never)
     * @throws IllegalArgumentException when {@code processes} or {@code maxTasksPerChild} is below 1
     */
    public ShmPool(Launcher launcher, Heap heap, Codec codec, int processes, SerializableRunnable initializer, int maxTasksPerChild) {
        if (processes < 1) throw new IllegalArgumentException("Number of processes must be at least 1");
        if (maxTasksPerChild < 1) throw new IllegalArgumentException("maxtasksperchild must be at least 1, not " + maxTasksPerChild);
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.heap = Objects.requireNonNull(heap, "heap");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.processes = processes;
        this.initializer = initializer;
        this.maxTasks = maxTasksPerChild;
        this.threads = launcher.method() == StartMethod.THREAD;
        for (int i = 0; i < processes; i++) startDriver();
    }

    @Override
    public int processes() { return processes; }

    // ================================================================ Python's calls

    @Override
    public <T> T apply(SerializableCallable<T> task) throws InterruptedException, ExecutionException {
        return await(applyAsync(task));
    }

    @Override
    public <T> AsyncResult<T> applyAsync(SerializableCallable<T> task) { return applyAsync(task, null, null); }

    @Override
    public <T> AsyncResult<T> applyAsync(SerializableCallable<T> task, Consumer<? super T> callback, Consumer<? super Throwable> errorCallback) {
        return callOnce(task, callback, errorCallback);
    }

    @Override
    public <A, R> List<R> map(SerializableFunction<? super A, ? extends R> f, Iterable<? extends A> inputs)
            throws InterruptedException, ExecutionException {
        return await(mapAsync(f, inputs));
    }

    @Override
    public <A, R> List<R> map(SerializableFunction<? super A, ? extends R> f, Iterable<? extends A> inputs, int chunksize)
            throws InterruptedException, ExecutionException {
        return await(mapAsync(f, inputs, chunksize, null, null));
    }

    @Override
    public <A, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super A, ? extends R> f, Iterable<? extends A> inputs) {
        return mapAsync(f, inputs, 0, null, null);
    }

    @Override
    public <A, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super A, ? extends R> f, Iterable<? extends A> inputs,
                                               int chunksize, Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback) {
        return listCall(Wire.FUNCTION, f, inputs, chunksize, callback, errorCallback);
    }

    @Override
    public <R> List<R> starmap(StarFunction<? extends R> f, Iterable<Object[]> argLists) throws InterruptedException, ExecutionException {
        return await(starmapAsync(f, argLists, 0, null, null));
    }

    @Override
    public <R> List<R> starmap(StarFunction<? extends R> f, Iterable<Object[]> argLists, int chunksize)
            throws InterruptedException, ExecutionException {
        return await(starmapAsync(f, argLists, chunksize, null, null));
    }

    @Override
    public <R> AsyncResult<List<R>> starmapAsync(StarFunction<? extends R> f, Iterable<Object[]> argLists, int chunksize,
                                                Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback) {
        return listCall(Wire.STAR, f, argLists, chunksize, callback, errorCallback);
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

    // ================================================================ ExecutorService

    @Override
    public void execute(Runnable command) {
        submit(command, null, false);
    }

    @Override
    public Future<?> submit(Runnable task) { return submit(task, null, true); }

    @Override
    public <T> Future<T> submit(Runnable task, T result) { return submit(task, result, true); }

    @Override
    public <T> AsyncResult<T> submit(Callable<T> task) {
        return callOnce(Objects.requireNonNull(task, "task"), null, null);
    }

    @Override
    public <T> AsyncResult<T> submit(SerializableCallable<T> task) { return submit((Callable<T>) task); }

    private <T> ShmAsyncResult<T> submit(Runnable task, T result, boolean keep) {
        Objects.requireNonNull(task, "task");
        Consumer<Throwable> report = keep ? null : Callbacks::report; // execute: nobody else would see it
        return callOnce(new PoolWorker.RunnableCall(task, result), null, report);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        return invokeAll(tasks, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = deadline(timeout, unit);
        List<Future<T>> out = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> t : tasks) out.add(submit(t));
            for (Future<T> f : out) {
                try {
                    if (deadline == Long.MAX_VALUE) f.get();
                    else f.get(Timeouts.remaining(deadline), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | CancellationException e) {
                    // its own outcome
                } catch (TimeoutException e) {
                    break;
                }
            }
            return out;
        } finally {
            for (Future<T> f : out) f.cancel(false); // the ones not done; the rest ignore it
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
        long deadline = deadline(timeout, unit);
        LinkedBlockingQueue<ShmAsyncResult<T>> ready = new LinkedBlockingQueue<>();
        List<ShmAsyncResult<T>> all = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> t : tasks) {
                ShmAsyncResult<T> r = callOnce(Objects.requireNonNull(t, "task"), null, null);
                all.add(r);
                r.future().whenComplete((v, e) -> ready.add(r));
            }
            ExecutionException last = null;
            for (int i = 0; i < all.size(); i++) {
                ShmAsyncResult<T> r = deadline == Long.MAX_VALUE ? ready.take()
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
            for (ShmAsyncResult<T> r : all) r.cancel(false);
        }
    }

    /** {@link Long#MAX_VALUE}: none (a timeout too long to end in a {@code long} of nanoseconds). */
    private static long deadline(long timeout, TimeUnit unit) {
        return Timeouts.deadline(Timeouts.nanos(timeout, unit));
    }

    // ================================================================ life cycle

    @Override
    public synchronized void shutdown() {
        if (state == State.RUN) state = State.CLOSE;
        source.close();
    }

    @Override
    public void terminate() { end(new CancellationException("the pool was terminated")); }

    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> never = new ArrayList<>();
        for (Job j : live) {
            if (j instanceof ListJob l && l.untouched() && j.fn instanceof PoolWorker.RunnableCall rc) never.add(rc.task);
        }
        terminate();
        return never;
    }

    /** Ends the pool with its pending work failing (or cancelled) with {@code why}. */
    private void end(Throwable why) {
        List<BaseProcess> kill;
        List<Thread> interrupt;
        synchronized (this) {
            if (state == State.TERMINATE) return;
            state = State.TERMINATE;
            if (!(why instanceof CancellationException)) brokenBy = why;
            kill = new ArrayList<>(workers);
            interrupt = threads ? new ArrayList<>(drivers) : List.of();
            notifyAll();
        }
        source.terminate();
        for (Job j : live) j.abandon(why);
        for (BaseProcess p : kill) p.terminate();
        for (Thread t : interrupt) t.interrupt();
    }

    /** The pool cannot go on: pending and later calls fail with {@code cause}. */
    void broke(Throwable cause) { end(cause); }

    @Override
    public void join() throws InterruptedException {
        synchronized (this) {
            if (state == State.RUN) throw new IllegalStateException("Pool is still running");
        }
        awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized boolean isShutdown() { return state != State.RUN; }

    @Override
    public synchronized boolean isTerminated() { return state != State.RUN && drivers.isEmpty(); }

    @Override
    public synchronized boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = deadline(timeout, unit);
        while (!isTerminated()) {
            if (deadline == Long.MAX_VALUE) {
                wait();
            } else {
                long left = Timeouts.remaining(deadline);
                if (left == 0) return false;
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        return true;
    }

    // ================================================================ workers

    private synchronized void startDriver() {
        if (state == State.TERMINATE) return;
        Runnable body = threads ? new ThreadWorker(this) : new ProcessWorker(this);
        String name = threads ? workerName() : "mp4j-pool-driver-" + (drivers.size() + 1);
        Thread t = Thread.ofPlatform().name(name).daemon(true).unstarted(body);
        drivers.add(t);
        t.start();
    }

    /** Called by a worker's driver thread as it ends; starts its successor first when asked. */
    void driverEnded(boolean successor) {
        if (successor) startDriver();
        synchronized (this) {
            drivers.remove(Thread.currentThread());
            notifyAll();
        }
    }

    synchronized String workerName() { return "PoolWorker-" + ++names; }

    /**
     * Starts {@code p} unless the pool is terminating (false then). Not under the pool's lock:
     * a start takes a spare or spawns a JVM, and calls would wait for it.
     */
    boolean startWorker(BaseProcess p) {
        synchronized (this) {
            if (state == State.TERMINATE) return false;
        }
        p.start();
        synchronized (this) {
            if (state == State.TERMINATE) p.terminate(); // terminate() did not see it
            else workers.add(p);
        }
        return true;
    }

    synchronized void workerEnded(BaseProcess p) { workers.remove(p); }

    // ================================================================ submission

    private <A, R> ShmAsyncResult<List<R>> listCall(byte kind, Object f, Iterable<? extends A> inputs, int chunksize,
                                                Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback) {
        Objects.requireNonNull(f, "function");
        Objects.requireNonNull(inputs, "inputs");
        if (chunksize < 0) throw new IllegalArgumentException("Chunksize must be 1+, not " + chunksize);
        Object[] items = inputs instanceof Collection<?> c ? c.toArray() : toArray(inputs);
        if (chunksize == 0) chunksize = Math.max(1, (items.length + 4 * processes - 1) / (4 * processes));
        return call(kind, f, items, chunksize, false, callback, errorCallback);
    }

    private static Object[] toArray(Iterable<?> inputs) {
        List<Object> l = new ArrayList<>();
        for (Object o : inputs) l.add(o);
        return l.toArray();
    }

    /** A job of one task that calls {@code task} (a {@link Callable}) once. */
    private <T> ShmAsyncResult<T> callOnce(Callable<?> task, Consumer<? super T> callback, Consumer<? super Throwable> errorCallback) {
        return call(Wire.CALL, task, new Object[] {null}, 1, true, callback, errorCallback);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private <T> ShmAsyncResult<T> call(byte kind, Object fn, Object[] items, int chunksize, boolean single,
                                    Consumer<? super T> callback, Consumer<? super Throwable> errorCallback) {
        Objects.requireNonNull(fn, "function");
        checkRunning();
        byte[] fnBytes = threads ? null : encode(fn, "the function");
        byte[][] encoded = null;
        if (!threads) { // here, so that an input that cannot be sent fails the call
            encoded = new byte[ListJob.chunks(items.length, chunksize)][];
            for (int k = 0; k < encoded.length; k++) {
                int start = k * chunksize;
                Object[] slice = Arrays.copyOfRange(items, start, Math.min(items.length, start + chunksize));
                try {
                    encoded[k] = Wire.items(slice, codec);
                } catch (IOException e) {
                    throw new IllegalArgumentException("an input of " + start + ".." + (start + slice.length - 1)
                            + " cannot be sent to a worker process: " + e, e);
                }
            }
        }
        ShmAsyncResult<Object> result = new ShmAsyncResult<>();
        ListJob job = new ListJob(live, kind, fn, fnBytes, items.length, threads ? items : null, encoded, chunksize, single,
                result, (Consumer) callback, (Consumer) errorCallback);
        if (!job.endIfEmpty()) enqueue(job);
        return (ShmAsyncResult<T>) result;
    }

    @SuppressWarnings("unchecked")
    private <R> ShmPoolIterator<R> iterCall(Object f, Iterable<?> inputs, int chunksize, boolean ordered) {
        Objects.requireNonNull(f, "function");
        Objects.requireNonNull(inputs, "inputs");
        if (chunksize < 1) throw new IllegalArgumentException("Chunksize must be 1+, not " + chunksize);
        checkRunning();
        ShmPoolIterator<Object> out = new ShmPoolIterator<>(ordered, source::wake);
        enqueue(new IterJob(live, Wire.FUNCTION, f, threads ? null : encode(f, "the function"), inputs.iterator(), chunksize,
                IMAP_WINDOW_PER_WORKER * processes, out));
        return (ShmPoolIterator<R>) out;
    }

    private void enqueue(Job job) {
        try {
            synchronized (this) {
                checkRunning();
                source.add(job);
            }
        } catch (RuntimeException e) {
            job.ended();
            throw e;
        }
    }

    private synchronized void checkRunning() {
        if (state != State.RUN) {
            throw new RejectedExecutionException(brokenBy != null ? "the pool is broken: " + brokenBy.getMessage() : "Pool not running", brokenBy);
        }
    }

    private byte[] encode(Object o, String what) {
        try {
            return codec.encode(o);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " cannot be sent to a worker process: " + e, e);
        }
    }

    private static <T> T await(AsyncResult<T> r) throws InterruptedException, ExecutionException {
        try {
            return r.get();
        } catch (InterruptedException e) {
            r.cancel(false);
            throw e;
        }
    }

    @Override
    public synchronized String toString() {
        return "Pool[" + state + ", " + processes + (threads ? " threads" : " processes") + ", " + workers.size() + " running]";
    }
}
