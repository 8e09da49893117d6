package io.multiprocessing4j.distributed.internal.pool;

import io.multiprocessing4j.distributed.internal.Server;
import io.multiprocessing4j.distributed.pool.DistributedPool;
import io.multiprocessing4j.distributed.pool.PoolOptions;
import io.multiprocessing4j.function.SerializableCallable;
import io.multiprocessing4j.function.SerializableFunction;
import io.multiprocessing4j.function.StarFunction;
import io.multiprocessing4j.pool.AsyncResult;
import io.multiprocessing4j.pool.PoolIterator;
import io.multiprocessing4j.serial.Codec;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The client of a distributed pool ({@link DistributedPool}): calls become jobs whose chunks
 * are queued on the server as task messages ({@link TaskWire}); the {@link ResultReader}
 * hands results back to the jobs, and the {@link Housekeeper} keeps this client alive on the
 * server, reaps dead workers and fails calls that can no longer finish.
 */
public final class RedisPool extends PoolCalls implements DistributedPool {
    private enum State { RUN, CLOSE, TERMINATE }

    /** How many chunks of an {@code imap} may be queued ahead of its consumer, per live worker. */
    static final int IMAP_WINDOW_PER_WORKER = 4;

    private final String name;
    private final PoolOptions options;
    final PoolClient client;
    private final Codec codec = Codec.defaultCodec();
    private final Map<Long, ClientJob> jobs = new ConcurrentHashMap<>();
    private final AtomicLong jobIds = new AtomicLong();
    private final ResultReader reader;
    private final Housekeeper housekeeper;
    private final Feeder feeder;
    private State state = State.RUN; // under this
    private boolean terminated; // under this
    private volatile int liveWorkers;

    /**
     * Joins pool {@code name} on {@code server} as a new client.
     *
     * @param contextClosed whether the context that made the pool was closed: the pool then terminates
     * @throws io.multiprocessing4j.distributed.ServerUnavailableException when the server does not answer
     */
    public RedisPool(Server server, String name, PoolOptions options, BooleanSupplier contextClosed) {
        this.name = name;
        this.options = Objects.requireNonNull(options, "options");
        this.client = new PoolClient(server, name);
        client.renew();
        liveWorkers = client.reap();
        this.reader = new ResultReader(client, jobs, codec);
        this.feeder = new Feeder(this);
        this.housekeeper = new Housekeeper(this, options.noWorkerTimeout(), contextClosed);
        Thread.ofPlatform().name("mp4j-dpool-results-" + name).daemon(true).start(reader);
    }

    @Override
    public String name() { return name; }

    @Override
    public int liveWorkers() { return liveWorkers; }

    void liveWorkers(int n) { liveWorkers = n; }

    /** How many workers calls are cut for: the live ones, at least 1. */
    @Override
    public int processes() { return Math.max(1, liveWorkers); }

    Collection<ClientJob> jobs() { return jobs.values(); }

    String address() { return client.server.options().address(); }

    // ================================================================ submission

    @Override
    <R> AsyncResult<List<R>> listCall(byte kind, Object f, Iterable<?> inputs, int chunksize,
                                      Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback) {
        Objects.requireNonNull(f, "function");
        Objects.requireNonNull(inputs, "inputs");
        if (chunksize < 0) throw new IllegalArgumentException("Chunksize must be 1+, not " + chunksize);
        Object[] items = inputs instanceof Collection<?> c ? c.toArray() : toArray(inputs);
        if (chunksize == 0) chunksize = Math.max(1, (items.length + 4 * processes() - 1) / (4 * processes()));
        return call(kind, f, items, chunksize, false, callback, errorCallback);
    }

    @Override
    <T> DistAsyncResult<T> callOnce(Callable<?> task, Consumer<? super T> callback, Consumer<? super Throwable> errorCallback) {
        return call(TaskWire.CALL, task, new Object[] {null}, 1, true, callback, errorCallback);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private <T> DistAsyncResult<T> call(byte kind, Object fn, Object[] items, int chunksize, boolean single,
                                        Consumer<? super T> callback, Consumer<? super Throwable> errorCallback) {
        checkRunning();
        byte[] fnBytes = encode(fn, "the function");
        int retries = options.retryOnWorkerLoss() ? 1 : 0;
        long id = jobIds.incrementAndGet();
        List<byte[]> tasks = new ArrayList<>(BatchJob.chunks(items.length, chunksize));
        for (int seq = 0, start = 0; start < items.length; seq++, start += chunksize) { // before the job exists: a bad input refuses the call
            Object[] slice = Arrays.copyOfRange(items, start, Math.min(items.length, start + chunksize));
            tasks.add(TaskWire.task(client.id, id, seq, retries, kind, fnBytes, encodeItems(slice, start)));
        }
        DistAsyncResult<Object> result = new DistAsyncResult<>();
        BatchJob job = new BatchJob(this, id, fn, items.length, chunksize, single, result, (Consumer) callback, (Consumer) errorCallback);
        if (job.endIfEmpty()) return (DistAsyncResult<T>) result;
        register(job);
        queue(job, tasks);
        return (DistAsyncResult<T>) result;
    }

    @Override
    @SuppressWarnings("unchecked")
    <R> PoolIterator<R> iterCall(Object f, Iterable<?> inputs, int chunksize, boolean ordered) {
        Objects.requireNonNull(f, "function");
        Objects.requireNonNull(inputs, "inputs");
        if (chunksize < 1) throw new IllegalArgumentException("Chunksize must be 1+, not " + chunksize);
        checkRunning();
        byte[] fnBytes = encode(f, "the function");
        DistPoolIterator<Object> out = new DistPoolIterator<>(ordered);
        long id = jobIds.incrementAndGet();
        int retries = options.retryOnWorkerLoss() ? 1 : 0;
        StreamJob job = new StreamJob(this, id, inputs.iterator(), chunksize, IMAP_WINDOW_PER_WORKER * processes(), out,
                feeder.sender(fnBytes, retries));
        register(job);
        feeder.wake(job);
        return (PoolIterator<R>) out;
    }

    /** Queues {@code tasks} of {@code job}; the job fails (and the call throws) when the server does not take them. */
    void queue(ClientJob job, List<byte[]> tasks) {
        try {
            String inc = client.submit(tasks);
            if (inc == null) { // the server forgot this client: the calls queued before fail, this one is queued again
                clientLost(client.renew());
                inc = client.submit(tasks);
            }
            if (inc == null || !job.queuedUnder(inc)) throw lost();
        } catch (RuntimeException e) {
            job.abandon(e);
            throw e;
        }
    }

    /**
     * The server knows this client as incarnation {@code inc}: the calls queued under another
     * (before the server restarted without its data, or this client was cut off for longer
     * than its lease, and workers dropped its tasks) fail, as their tasks or results may be gone.
     */
    void clientLost(String inc) {
        IllegalStateException lost = lost();
        for (ClientJob j : jobs.values()) if (j.queuedBefore(inc)) j.abandon(lost);
    }

    private IllegalStateException lost() {
        return new IllegalStateException("the server at " + address() + " lost pool '" + name
                + "''s client (it restarted, or this client was cut off for longer than its lease): the call's tasks may be gone");
    }

    /** The items section of {@code slice}, the inputs from {@code start} (negative: not known, an {@code imap}'s). */
    byte[] encodeItems(Object[] slice, int start) {
        try {
            return TaskWire.items(slice, codec);
        } catch (IOException | RuntimeException e) {
            String which = start < 0 ? "of this chunk" : start + ".." + (start + slice.length - 1);
            throw new IllegalArgumentException("an input " + which + " cannot be sent to a worker: " + e, e);
        }
    }

    private byte[] encode(Object o, String what) {
        if (!(o instanceof Serializable)) throw new IllegalArgumentException(what + " is not Serializable: " + o);
        try {
            return codec.encode(o);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " cannot be sent to a worker: " + e, e);
        }
    }

    private static Object[] toArray(Iterable<?> inputs) {
        List<Object> l = new ArrayList<>();
        for (Object o : inputs) l.add(o);
        return l.toArray();
    }

    private void register(ClientJob job) {
        synchronized (this) {
            checkRunning();
            jobs.put(job.id, job);
        }
    }

    private synchronized void checkRunning() {
        if (state != State.RUN) throw new RejectedExecutionException("Pool not running");
    }

    /** Called once by a job as it ends. */
    void ended(ClientJob job, boolean cancelQueued) {
        jobs.remove(job.id);
        if (cancelQueued) {
            try {
                client.cancel(job.id);
            } catch (RuntimeException e) {
                // the server is away: the tasks run and their results are dropped
            }
        }
        maybeTerminated();
    }

    // ================================================================ life cycle

    @Override
    public void shutdown() {
        synchronized (this) {
            if (state == State.RUN) state = State.CLOSE;
        }
        for (ClientJob j : jobs.values()) j.draining();
        maybeTerminated();
    }

    @Override
    public void terminate() {
        synchronized (this) {
            if (state == State.TERMINATE) return;
            state = State.TERMINATE;
        }
        failAll(new CancellationException("the pool was terminated"));
        maybeTerminated();
    }

    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> never = new ArrayList<>();
        for (ClientJob j : jobs.values()) if (j instanceof BatchJob b && b.runnable() != null && b.untouched()) never.add(b.runnable());
        terminate();
        return never;
    }

    /** Every pending call fails with {@code why}. */
    void failAll(Throwable why) {
        for (ClientJob j : jobs.values()) j.abandon(why);
    }

    private void maybeTerminated() {
        synchronized (this) {
            if (terminated || state == State.RUN || !jobs.isEmpty()) return;
            terminated = true;
            notifyAll();
        }
        reader.stop();
        housekeeper.stop();
        feeder.stop();
        try {
            client.leave();
        } catch (RuntimeException e) {
            // the server is away: this client's keys expire after its lease
        }
    }

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
    public synchronized boolean isTerminated() { return terminated; }

    @Override
    public synchronized boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = Timeouts.deadline(Timeouts.nanos(timeout, unit));
        while (!terminated) {
            if (deadline == Timeouts.FOREVER) {
                wait();
            } else {
                long left = Timeouts.remaining(deadline);
                if (left == 0) return false;
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        return true;
    }

    @Override
    public synchronized String toString() {
        return "DistributedPool[" + name + " on " + address() + ", " + state + ", " + liveWorkers + " live workers, "
                + jobs.size() + " calls pending]";
    }

    // keeps the ExecutorService overloads' types in one place
    @Override
    public <T> AsyncResult<T> submit(Callable<T> task) { return callOnce(Objects.requireNonNull(task, "task"), null, null); }

    @Override
    public Future<?> submit(Runnable task) { return callOnce(new RunnableCall<>(Objects.requireNonNull(task, "task"), null), null, null); }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        return callOnce(new RunnableCall<>(Objects.requireNonNull(task, "task"), result), null, null);
    }

    @Override
    public void execute(Runnable command) {
        callOnce(new RunnableCall<>(Objects.requireNonNull(command, "command"), null), null, Callbacks::report);
    }

    @Override
    public <T> T apply(SerializableCallable<T> task) throws InterruptedException, ExecutionException { return await(applyAsync(task)); }

    @Override
    public <A, R> List<R> map(SerializableFunction<? super A, ? extends R> f, Iterable<? extends A> inputs, int chunksize)
            throws InterruptedException, ExecutionException {
        return await(mapAsync(f, inputs, chunksize, null, null));
    }

    @Override
    public <R> List<R> starmap(StarFunction<? extends R> f, Iterable<Object[]> argLists, int chunksize)
            throws InterruptedException, ExecutionException {
        return await(starmapAsync(f, argLists, chunksize, null, null));
    }
}
