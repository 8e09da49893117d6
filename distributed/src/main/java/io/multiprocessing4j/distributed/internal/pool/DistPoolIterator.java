package io.multiprocessing4j.distributed.internal.pool;

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
 * The {@link PoolIterator} of a {@link RedisPool} {@code imap} call: the chunks of results its
 * {@link StreamJob} puts, handed out in the chunks' order, or in arrival order when unordered.
 */
final class DistPoolIterator<R> implements PoolIterator<R> {
    private record Failure(Throwable cause) {}

    private final boolean ordered;
    private final Map<Integer, Object> bySeq = new HashMap<>(); // ordered: seq -> Object[] or Failure
    private final ArrayDeque<Object> arrived = new ArrayDeque<>(); // unordered
    private int total = -1; // how many chunks (and failures of the input) there are, once known
    private volatile int taken; // chunks handed to the consumer
    private Object[] current;
    private int pos;
    private Throwable ended; // the job was abandoned before its results were in
    private volatile StreamJob job;

    DistPoolIterator(boolean ordered) { this.ordered = ordered; }

    void bind(StreamJob job) { this.job = job; }

    int taken() { return taken; }

    @Override
    public void cancel() {
        synchronized (this) {
            bySeq.clear();
            arrived.clear();
            current = null;
        }
        StreamJob j = job;
        if (j != null) j.abandon(new CancellationException("the imap call was cancelled"));
    }

    // ---------------------------------------------------------------- the job's side

    synchronized void put(int seq, Object[] results) { add(seq, results); }

    synchronized void putFailure(int seq, Throwable t) { add(seq, new Failure(t)); }

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
            return await(Timeouts.FOREVER);
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
            StreamJob j = job;
            if (taken != before && j != null) j.consumerMoved(); // not under this lock
        }
    }

    @SuppressWarnings("unchecked")
    private synchronized R take(Duration timeout) throws InterruptedException, TimeoutException, ExecutionException {
        if (!await(Timeouts.deadline(Timeouts.nanos(timeout)))) throw new NoSuchElementException();
        if (current != null && pos < current.length) return (R) current[pos++];
        Object chunk = ordered ? bySeq.remove(taken) : arrived.poll();
        if (chunk == null) { // abandoned
            if (ended instanceof CancellationException c) throw c;
            throw new ExecutionException(ended);
        }
        taken++;
        if (chunk instanceof Failure f) throw new ExecutionException(f.cause());
        current = (Object[]) chunk;
        pos = 0;
        if (current.length == 0) return take(timeout); // cannot happen: chunks are not empty
        return (R) current[pos++];
    }

    private boolean buffered() { return ordered ? bySeq.containsKey(taken) : !arrived.isEmpty(); }

    /** Waits until a result or failure is at hand (true), the results are over (false), or the job was abandoned (true). */
    private boolean await(long deadline) throws InterruptedException, TimeoutException {
        while (true) {
            if (current != null && pos < current.length) return true;
            if (buffered() || ended != null) return true;
            if (total >= 0 && taken >= total) return false;
            long left = Timeouts.remaining(deadline);
            if (deadline == Timeouts.FOREVER) wait();
            else if (left == 0) throw new TimeoutException("no result within the timeout");
            else wait(left / 1_000_000, (int) (left % 1_000_000));
        }
    }
}
