package io.multiprocessing4j.distributed.internal.pool;

import java.util.Arrays;
import java.util.Collections;
import java.util.function.Consumer;

/**
 * A call whose inputs are all known when it is made ({@code apply}, {@code map},
 * {@code starmap}): all its chunks are queued at once, and its result is ready when every
 * chunk has come back. As in Python, a failed chunk does not stop the others; the result then
 * carries the first failure to arrive.
 */
final class BatchJob extends ClientJob {
    private final Object fn;
    private final int chunksize;
    private final boolean single; // apply: the result is the one value, not a list
    private final DistAsyncResult<Object> result;
    private final Consumer<Object> callback;
    private final Consumer<Throwable> errorCallback;
    private final Object[] results;
    private final boolean[] back; // per chunk: whether its outcome arrived (a retried chunk may not answer twice, but be sure)
    private int left; // chunks not yet back; under this
    private Throwable error; // under this

    BatchJob(RedisPool pool, long id, Object fn, int count, int chunksize, boolean single, DistAsyncResult<Object> result,
             Consumer<Object> callback, Consumer<Throwable> errorCallback) {
        super(pool, id);
        this.fn = fn;
        this.chunksize = chunksize;
        this.single = single;
        this.result = result;
        this.callback = callback;
        this.errorCallback = errorCallback;
        this.results = new Object[count];
        this.left = chunks(count, chunksize);
        this.back = new boolean[left];
        result.bind(this);
    }

    static int chunks(int count, int chunksize) { return (count + chunksize - 1) / chunksize; }

    /** Ends an empty call at once; false when it has chunks to run. */
    boolean endIfEmpty() {
        if (left > 0) return false;
        finish();
        return true;
    }

    /** The task given to {@code execute} or {@code submit(Runnable)}, or null. */
    Runnable runnable() { return fn instanceof RunnableCall<?> rc ? rc.task() : null; }

    /** Whether no chunk has come back yet (for {@code shutdownNow}'s report). */
    synchronized boolean untouched() { return left == back.length; }

    @Override
    void done(int seq, Object[] values) {
        synchronized (this) {
            if (isEnded() || seq >= back.length || back[seq]) return;
            back[seq] = true;
            System.arraycopy(values, 0, results, seq * chunksize, Math.min(values.length, results.length - seq * chunksize));
            if (--left > 0) return;
        }
        finish();
    }

    @Override
    void failed(int seq, Throwable t) {
        synchronized (this) {
            if (isEnded() || seq >= back.length || back[seq]) return;
            back[seq] = true;
            if (error == null) error = t;
            if (--left > 0) return;
        }
        finish();
    }

    @Override
    void abandon(Throwable t) {
        if (!markEnded()) return;
        result.fail(t);
        leave(true);
    }

    private void finish() {
        if (!markEnded()) return;
        Throwable e;
        synchronized (this) {
            e = error;
        }
        if (e != null) {
            Callbacks.run(errorCallback, e);
            result.fail(e);
        } else {
            Object value = single ? results[0] : Collections.unmodifiableList(Arrays.asList(results));
            Callbacks.run(callback, value);
            result.complete(value);
        }
        leave(false);
    }
}
