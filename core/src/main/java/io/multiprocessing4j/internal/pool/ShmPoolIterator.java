package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.internal.os.Timeouts;
import io.multiprocessing4j.pool.PoolIterator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The {@link PoolIterator} of a {@link ShmPool} {@code imap} call: the results its job puts, by
 * chunk, handed to the consumer in order (or as they arrive).
 */
public final class ShmPoolIterator<R> implements PoolIterator<R> {
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

    ShmPoolIterator(boolean ordered, Runnable onTake) {
        this.ordered = ordered;
        this.onTake = onTake;
    }

    void bind(Job job) { this.job = job; }

    int taken() { return taken; }

    @Override
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

    @Override
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
