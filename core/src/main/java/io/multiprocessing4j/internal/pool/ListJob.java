package io.multiprocessing4j.internal.pool;

import java.util.Arrays;
import java.util.Collections;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A call whose inputs are all known when it is made ({@code apply}, {@code map},
 * {@code starmap}): its chunks are cut from one array, and its result is ready once every
 * chunk has come back. As in Python, a failed chunk does not stop the others; the result
 * then carries the first failure to arrive.
 */
final class ListJob extends Job {
    private final Object[] items; // null when encoded
    private final byte[][] encoded; // per chunk, for worker processes; else null
    private final int count;
    private final int chunksize;
    private final boolean single; // apply: the result is the one value, not a list
    private final ShmAsyncResult<Object> result;
    private final Consumer<Object> callback;
    private final Consumer<Throwable> errorCallback;
    private volatile int nextSeq; // written under the task source's lock
    private final Object[] results;
    private int left; // chunks not yet back; under this
    private Throwable error;
    private boolean ended;

    /** A job over {@code count} inputs: {@code items}, or {@code encoded}, one items section per chunk of {@code chunksize}. */
    ListJob(Set<Job> live, byte kind, Object fn, byte[] fnBytes, int count, Object[] items, byte[][] encoded, int chunksize,
            boolean single, ShmAsyncResult<Object> result, Consumer<Object> callback, Consumer<Throwable> errorCallback) {
        super(kind, fn, fnBytes, live);
        this.count = count;
        this.items = items;
        this.encoded = encoded;
        this.chunksize = chunksize;
        this.single = single;
        this.result = result;
        this.callback = callback;
        this.errorCallback = errorCallback;
        this.results = new Object[count];
        this.left = chunks(count, chunksize);
        result.bind(this);
    }

    /** How many chunks of {@code chunksize} make {@code count} inputs. */
    static int chunks(int count, int chunksize) { return (count + chunksize - 1) / chunksize; }

    /** Whether the job has nothing to run (an empty map): then it has already ended. */
    boolean endIfEmpty() {
        if (left > 0) return false;
        finish();
        return true;
    }

    /** Whether no chunk has been handed out yet. */
    boolean untouched() { return nextSeq == 0; }

    @Override
    boolean exhausted() { return (long) nextSeq * chunksize >= count || isDone(); }

    @Override
    Chunk next(boolean draining) {
        int start = nextSeq * chunksize;
        if (start >= count || isDone()) return null;
        Object[] slice = items == null ? null : Arrays.copyOfRange(items, start, Math.min(count, start + chunksize));
        Chunk c = new Chunk(this, nextSeq, start, slice, encoded == null ? null : encoded[nextSeq]);
        nextSeq++;
        return c;
    }

    @Override
    boolean isDone() { return result.isDone(); }

    @Override
    void done(Chunk c, Object[] values) {
        synchronized (this) {
            if (ended) return;
            System.arraycopy(values, 0, results, c.start(), values.length);
            if (--left > 0) return;
        }
        finish();
    }

    @Override
    void failed(Chunk c, Throwable t) {
        synchronized (this) {
            if (ended) return;
            if (error == null) error = t;
            if (--left > 0) return;
        }
        finish();
    }

    @Override
    void abandon(Throwable t) {
        synchronized (this) {
            if (ended) return;
            ended = true;
        }
        ended();
        result.fail(t);
    }

    private void finish() {
        synchronized (this) {
            if (ended) return;
            ended = true;
        }
        ended();
        if (error != null) {
            Callbacks.run(errorCallback, error);
            result.fail(error);
        } else {
            Object value = single ? results[0] : Collections.unmodifiableList(Arrays.asList(results));
            Callbacks.run(callback, value);
            result.complete(value);
        }
    }
}
