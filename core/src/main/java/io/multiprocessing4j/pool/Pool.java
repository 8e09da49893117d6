package io.multiprocessing4j.pool;

import io.multiprocessing4j.function.SerializableCallable;
import io.multiprocessing4j.function.SerializableFunction;
import io.multiprocessing4j.function.StarFunction;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * A pool of worker processes that run tasks: Python's {@code multiprocessing.Pool}, and a
 * {@link ExecutorService}. Made by {@code Context.pool}: with the {@code spawn} or
 * {@code warm} start method the workers are JVMs, and functions, inputs and results are
 * serialized to and from them; with {@code thread} they are threads of this JVM and nothing
 * is serialized (Python's {@code ThreadPool}).
 *
 * <h2>Calls</h2>
 * {@link #apply}, {@link #map}, {@link #starmap} wait for their result; the {@code Async}
 * forms return an {@link AsyncResult} at once and may take callbacks, which run on a pool
 * thread before the result is ready (keep them short: a worker's next answer waits for
 * them). {@link #imap} and {@link #imapUnordered} return a {@link PoolIterator} and read
 * their input lazily, on pool threads, at most {@code 4 * processes} tasks ahead of the
 * consumer while the pool runs (to the end once it is shut down). Inputs are cut into chunks
 * of {@code chunksize} consecutive items (a task); {@code map} picks
 * {@code ceil(n / (4 * processes))} when not told, {@code imap} 1.
 *
 * <h2>Failures</h2>
 * A task's exception reaches the caller as the cause of an {@link ExecutionException}
 * (an {@link java.util.concurrent.CompletionException} from the iterators), with the stack
 * trace it had in the worker. A function or input that cannot be serialized is refused when
 * the call is made ({@link IllegalArgumentException}); a result that cannot be is its task's
 * failure. A worker process that dies fails the task it was running with a
 * {@link WorkerLostException} and is replaced; where Python's pool hangs, this one goes on.
 * An initializer that throws breaks the pool: every pending call fails with a
 * {@link io.multiprocessing4j.connection.ProcessError} carrying its exception, and new calls are
 * refused.
 *
 * <h2>Life cycle</h2>
 * Python's {@code close()} is {@link #shutdown()} (no more calls; queued ones still run),
 * {@code terminate()} is {@link #terminate()} (workers stopped at once, pending results
 * cancelled), {@code join()} is {@link #join()}. {@link #close()}, the end of a
 * try-with-resources block, is the {@link ExecutorService} one: shut down, then wait for
 * the work to finish (Python's {@code with} terminates, dropping pending work). Closing the
 * context that made the pool terminates it. A call on a pool that is shut down throws
 * {@link RejectedExecutionException}.
 *
 * <p><b>Memory visibility:</b> in a thread pool, what the caller did before a call
 * happens-before the call's tasks run, and what a task did happens-before the return of
 * whatever returns its result; in a process pool tasks see serialized copies, as taken when
 * the call (or, for {@code imap}, the worker's request) was made. Thread-safe.
 */
public interface Pool extends ExecutorService {
    /** How many workers the pool keeps. */
    int processes();

    // ================================================================ Python's calls

    /** Python's {@code apply}: runs {@code task} in a worker and returns its value. */
    <T> T apply(SerializableCallable<T> task) throws InterruptedException, ExecutionException;

    /** Python's {@code apply_async}. */
    <T> AsyncResult<T> applyAsync(SerializableCallable<T> task);

    /** Python's {@code apply_async(func, callback=, error_callback=)}; either callback may be null. */
    <T> AsyncResult<T> applyAsync(SerializableCallable<T> task, Consumer<? super T> callback, Consumer<? super Throwable> errorCallback);

    /** Python's {@code map}: {@code f} of each input, in order. */
    <A, R> List<R> map(SerializableFunction<? super A, ? extends R> f, Iterable<? extends A> inputs)
            throws InterruptedException, ExecutionException;

    /** Python's {@code map} with a chunk size. */
    <A, R> List<R> map(SerializableFunction<? super A, ? extends R> f, Iterable<? extends A> inputs, int chunksize)
            throws InterruptedException, ExecutionException;

    /** Python's {@code map_async}. */
    <A, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super A, ? extends R> f, Iterable<? extends A> inputs);

    /**
     * Python's {@code map_async(func, iterable, chunksize, callback, error_callback)};
     * {@code chunksize} 0 picks the default, callbacks may be null.
     */
    <A, R> AsyncResult<List<R>> mapAsync(SerializableFunction<? super A, ? extends R> f, Iterable<? extends A> inputs,
                                        int chunksize, Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback);

    /** Python's {@code starmap}: {@code f(args...)} for each array of arguments, in order. */
    <R> List<R> starmap(StarFunction<? extends R> f, Iterable<Object[]> argLists) throws InterruptedException, ExecutionException;

    /** Python's {@code starmap} with a chunk size. */
    <R> List<R> starmap(StarFunction<? extends R> f, Iterable<Object[]> argLists, int chunksize)
            throws InterruptedException, ExecutionException;

    /** Python's {@code starmap_async}; {@code chunksize} 0 picks the default, callbacks may be null. */
    <R> AsyncResult<List<R>> starmapAsync(StarFunction<? extends R> f, Iterable<Object[]> argLists, int chunksize,
                                         Consumer<? super List<R>> callback, Consumer<? super Throwable> errorCallback);

    /** Python's {@code imap}: results in the inputs' order, one input per task. */
    <A, R> PoolIterator<R> imap(SerializableFunction<? super A, ? extends R> f, Iterable<? extends A> inputs);

    /** Python's {@code imap} with a chunk size. */
    <A, R> PoolIterator<R> imap(SerializableFunction<? super A, ? extends R> f, Iterable<? extends A> inputs, int chunksize);

    /** Python's {@code imap_unordered}: results as they are ready, one input per task. */
    <A, R> PoolIterator<R> imapUnordered(SerializableFunction<? super A, ? extends R> f, Iterable<? extends A> inputs);

    /** Python's {@code imap_unordered} with a chunk size. */
    <A, R> PoolIterator<R> imapUnordered(SerializableFunction<? super A, ? extends R> f, Iterable<? extends A> inputs, int chunksize);

    // ================================================================ ExecutorService

    /**
     * Runs {@code command} in a worker; in a process pool it must be {@link java.io.Serializable}
     * (write {@code (Runnable & Serializable) () -> ...}). What it throws goes to the
     * uncaught-exception handler of a pool thread.
     */
    @Override
    void execute(Runnable command);

    @Override
    <T> AsyncResult<T> submit(Callable<T> task);

    /** {@link #submit(Callable)} for a lambda, which this overload makes serializable. */
    <T> AsyncResult<T> submit(SerializableCallable<T> task);

    // ================================================================ life cycle

    /** Python's {@code close()}: takes no more calls; the queued ones still run, then the workers end. */
    @Override
    void shutdown();

    /**
     * Python's {@code terminate()}: takes no more calls, cancels every result that is not
     * ready, and stops the workers at once (processes get SIGTERM; threads are interrupted).
     */
    void terminate();

    /** {@link #terminate()}; returns the tasks given to {@link #execute} or {@code submit(Runnable)} that had not started. */
    @Override
    List<Runnable> shutdownNow();

    /**
     * Python's {@code join()}: waits until every worker has ended, after {@link #shutdown()} or
     * {@link #terminate()}.
     *
     * @throws IllegalStateException while the pool still takes calls
     * @throws InterruptedException  when interrupted while waiting
     */
    void join() throws InterruptedException;
}
