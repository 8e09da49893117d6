package io.multiprocessing4j.internal.pool;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Set;

/**
 * A call whose inputs come from an iterator ({@code imap}, {@code imapUnordered}): chunks are
 * cut from it only as workers ask for them, and only {@code window} chunks ahead of what the
 * consumer has taken from the {@link ShmPoolIterator}; so a long or endless input is read no
 * faster than the results are used, and the results waiting are bounded (Python's task
 * handler reads the input to the end at once, and keeps every result). Once the pool is shut
 * down the window no longer holds work back: the call then runs to its end, as in Python,
 * whether or not anyone reads.
 */
final class IterJob extends Job {
    private final Iterator<?> input;
    private final int chunksize;
    private final ShmPoolIterator<Object> out;
    private int nextSeq, nextStart; // under the task source's lock
    private volatile boolean exhausted;
    private int outstanding; // chunks handed out and not back; under this
    private volatile boolean ended;

    private final int window;

    IterJob(Set<Job> live, byte kind, Object fn, byte[] fnBytes, Iterator<?> input, int chunksize, int window, ShmPoolIterator<Object> out) {
        super(kind, fn, fnBytes, live);
        this.input = input;
        this.chunksize = chunksize;
        this.window = window;
        this.out = out;
        out.bind(this);
    }

    @Override
    boolean exhausted() { return exhausted || ended; }

    @Override
    Chunk next(boolean draining) {
        if (!draining && nextSeq - out.taken() >= window) return null; // the consumer's take() wakes the source
        Chunk c = cut();
        synchronized (this) {
            if (c != null) outstanding++;
            else if (outstanding == 0) ended();
        }
        return c;
    }

    /** Reads the next chunk from the input. */
    private Chunk cut() {
        if (exhausted || ended) return null;
        Object[] items = new Object[chunksize];
        int n = 0;
        try {
            while (n < chunksize && input.hasNext()) {
                Object item = input.next(); // before counting it: a next() that throws read nothing
                items[n++] = item;
            }
        } catch (RuntimeException | Error e) {
            exhausted = true;
            if (n > 0) { // what was read before the break runs; the failure comes after it
                out.putFailure(nextSeq + 1, e);
                out.setTotal(nextSeq + 2);
                return chunk(items, n, true);
            }
            out.putFailure(nextSeq, e);
            out.setTotal(nextSeq + 1);
            return null;
        }
        if (n < chunksize) {
            exhausted = true;
            out.setTotal(n == 0 ? nextSeq : nextSeq + 1);
            if (n == 0) return null;
        }
        return chunk(items, n, false);
    }

    private Chunk chunk(Object[] items, int n, boolean last) {
        Object[] exact = n == items.length ? items : Arrays.copyOf(items, n);
        Chunk c = new Chunk(this, nextSeq++, nextStart, exact, null);
        nextStart += n;
        if (last) nextSeq++; // the failure's place
        return c;
    }

    @Override
    boolean isDone() { return ended; }

    @Override
    void done(Chunk c, Object[] results) {
        out.put(c.seq(), results);
        back();
    }

    @Override
    void failed(Chunk c, Throwable t) {
        out.putFailure(c.seq(), t);
        back();
    }

    private synchronized void back() {
        if (--outstanding == 0 && exhausted) ended();
    }

    @Override
    void abandon(Throwable t) {
        ended = true;
        ended();
        out.end(t);
    }
}
