package io.multiprocessing4j.pool;

import io.multiprocessing4j.internal.os.Timeouts;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The results of {@link Pool#imap} (in the inputs' order) or {@link Pool#imapUnordered} (in
 * the order they are ready): Python's {@code IMapIterator}.
 *
 * <p>A failed task (a chunk of inputs) makes the next call throw its exception once, at the
 * task's place; the iteration then goes on with the next task, without the failed task's
 * results. An exception thrown by the input iterable itself is thrown at the place it broke
 * off, and ends the iteration.
 *
 * <p><b>Blocking:</b> {@link #hasNext} and {@link #next} wait until the next result is ready
 * or the results are known to be over. {@link #next(Duration)} is the checked form, Python's
 * {@code next(timeout)}: it waits at most its timeout and throws {@link TimeoutException},
 * {@link ExecutionException} for a failed task and {@link InterruptedException}. The
 * {@link Iterator} methods cannot throw those: they throw {@link CompletionException} with the
 * task's exception, or with an {@link InterruptedException} (the thread's interrupt status
 * then set again). After {@link Pool#terminate()} or {@link #cancel()}, the calls that find
 * no result left throw {@link CancellationException}; after the pool broke,
 * {@link ExecutionException} with the cause. <b>Memory visibility:</b> a result, and what
 * its worker thread did before returning it (thread pools), happen-before the call that
 * returns it. One consumer at a time; the object is thread-safe.
 */
public final class PoolIterator<R> implements Iterator<R> {
    private final boolean ordered;
    private final Map<Integer, Object> bySeq = new HashMap<>(); // ordered: chunk seq -> Object[] or Failure
    private final ArrayDeque<Object> arrived = new ArrayDeque<>(); // unordered: in arrival order
    private int total = -1; // chunks the job has, once its input is exhausted
    private volatile int taken; // chunks handed to the consumer; read by the job without this lock
    private final Runnable onTake; // tells the pool that the consumer made room
    private Object[] current;
    private int pos;
    private Throwable ended; // set when the pool ends the job before its results are in
    private volatile Job job; // set once the call's job exists

    private record Failure(Throwable cause) {}

    PoolIterator(boolean ordered, Runnable onTake) {
        this.ordered = ordered;
        this.onTake = onTake;
    }

    void bind(Job job) { this.job = job; }

    int taken() { return taken; }

    /**
     * Stops the call: no more input is read, tasks not yet taken by a worker are dropped, the
     * results not yet taken are dropped, and the waiting calls throw
     * {@link CancellationException}. The way to end an {@code imap} over an endless input.
     */
    public void cancel() {
        synchronized (this) {
            bySeq.clear();
            arrived.clear();
            current = null;
        }
        Job j = job;
        if (j != null) j.abandon(new CancellationException("the imap call was cancelled"));
    }

    // ---------------------------------------------------------------- the pool's side

    synchronized void put(int seq, Object[] results) {
        add(seq, results);
    }

    synchronized void putFailure(int seq, Throwable t) {
        add(seq, new Failure(t));
    }

    private void add(int seq, Object chunk) {
        if (ended != null) return;
        if (ordered) bySeq.put(seq, chunk);
        else arrived.add(chunk);
        notifyAll();
    }

    synchronized void setTotal(int chunks) {
        total = chunks;
        notifyAll();
    }

    synchronized void end(Throwable t) {
        if (ended == null) ended = t;
        notifyAll();
    }

    // ---------------------------------------------------------------- the consumer's side

    /** Whether another result, or a failure, is to come; waits until that is known. */
    @Override
    public synchronized boolean hasNext() {
        try {
            return await(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        } catch (TimeoutException e) {
            throw new AssertionError(e); // no deadline
        }
    }

    /** The next result; see the class comment for what it throws. */
    @Override
    public R next() {
        try {
            return next(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(e); // no deadline
        }
    }

    /**
     * The next result, waiting at most {@code timeout} ({@code null}: for ever).
     *
     * @throws NoSuchElementException when the results are over
     * @throws TimeoutException       when the next result is not ready in time
     * @throws ExecutionException     at the place of a failed task, or where the input broke off
     * @throws CancellationException  when the pool was terminated before the results were in
     */
    public R next(Duration timeout) throws InterruptedException, TimeoutException, ExecutionException {
        int before = taken;
        try {
            return take(timeout);
        } finally {
            if (taken != before) onTake.run(); // not under this lock: the pool's lock comes first
        }
    }

    @SuppressWarnings("unchecked")
    private synchronized R take(Duration timeout) throws InterruptedException, TimeoutException, ExecutionException {
        long deadline = Timeouts.deadline(Timeouts.nanos(timeout));
        if (!await(deadline)) throw new NoSuchElementException();
        if (current != null && pos < current.length) return (R) current[pos++];
        Object chunk = ordered ? bySeq.remove(taken) : arrived.poll();
        if (chunk == null) { // the pool ended the job
            if (ended instanceof CancellationException c) throw c;
            throw new ExecutionException(ended);
        }
        taken++;
        if (chunk instanceof Failure f) throw new ExecutionException(f.cause());
        current = (Object[]) chunk;
        pos = 0;
        return (R) current[pos++];
    }

    private boolean hasBuffered() { return ordered ? bySeq.containsKey(taken) : !arrived.isEmpty(); }

    /** Waits until a result or failure is buffered (true), the results are over (false), or the job ended (true: next throws). */
    private boolean await(long deadline) throws InterruptedException, TimeoutException {
        while (true) {
            if (current != null && pos < current.length) return true;
            if (hasBuffered() || ended != null) return true;
            if (total >= 0 && taken >= total) return false;
            if (deadline == Long.MAX_VALUE) {
                wait();
            } else {
                long left = Timeouts.remaining(deadline);
                if (left == 0) throw new TimeoutException("no result within the timeout");
                wait(left / 1_000_000, (int) (left % 1_000_000));
            }
        }
    }
}
