package io.multiprocessing4j.distributed.internal.pool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * A call whose inputs come from an iterator ({@code imap}, {@code imapUnordered}): chunks are
 * cut and queued on the pool's feeder thread, at most {@code window} chunks ahead of what the
 * consumer took, so an endless input is read only as fast as its results are used. Once the
 * pool is shut down the window no longer holds work back and the input is read to its end.
 * An input that throws ends the input there: what was read before runs, and the failure is
 * handed out at its place.
 */
final class StreamJob extends ClientJob {
    private final Iterator<?> input;
    private final int chunksize;
    private final int window;
    private final DistPoolIterator<Object> out;
    private final Feeder.Sender sender;
    private int nextSeq; // under this
    private int outstanding; // chunks queued and not back; under this
    private boolean exhausted; // under this
    private volatile boolean draining;
    private final java.util.BitSet back = new java.util.BitSet(); // chunks whose outcome arrived; under this

    StreamJob(RedisPool pool, long id, Iterator<?> input, int chunksize, int window, DistPoolIterator<Object> out,
              Feeder.Sender sender) {
        super(pool, id);
        this.input = input;
        this.chunksize = chunksize;
        this.window = window;
        this.out = out;
        this.sender = sender;
        out.bind(this);
    }

    /** The consumer took a chunk: there may be room to cut more. */
    void consumerMoved() {
        if (!isEnded()) sender.wake(this);
    }

    @Override
    void draining() {
        draining = true;
        sender.wake(this);
    }

    /** Cuts and queues the chunks the window allows; runs on the feeder thread only. */
    void feed() {
        List<Object[]> chunks = new ArrayList<>();
        int firstSeq;
        synchronized (this) {
            firstSeq = nextSeq;
            while (!exhausted && !isEnded() && (draining || nextSeq - out.taken() < window)) {
                Object[] c = cut();
                if (c != null) chunks.add(c);
            }
            outstanding += chunks.size();
        }
        if (!chunks.isEmpty()) sender.send(this, firstSeq, chunks);
        endIfOver();
    }

    /** The next chunk of the input, or null when it is over (or broke off: its failure is then in place). */
    private Object[] cut() {
        Object[] items = new Object[chunksize];
        int n = 0;
        try {
            while (n < chunksize && input.hasNext()) items[n++] = input.next();
        } catch (RuntimeException | Error e) {
            exhausted = true;
            int at = n > 0 ? nextSeq + 1 : nextSeq; // what was read before the break runs first
            out.putFailure(at, e);
            out.setTotal(at + 1);
            if (n == 0) return null;
            nextSeq++;
            nextSeq++; // the failure's place
            return Arrays.copyOf(items, n);
        }
        if (n < chunksize) {
            exhausted = true;
            out.setTotal(n == 0 ? nextSeq : nextSeq + 1);
            if (n == 0) return null;
        }
        nextSeq++;
        return n == items.length ? items : Arrays.copyOf(items, n);
    }

    /** A chunk the sender could not queue (its inputs cannot be encoded): it fails at its place. */
    void notSent(int seq, Throwable t) { failed(seq, t); }

    @Override
    void done(int seq, Object[] results) {
        if (isEnded() || !firstOutcome(seq)) return;
        out.put(seq, results);
        endIfOver();
    }

    @Override
    void failed(int seq, Throwable t) {
        if (isEnded() || !firstOutcome(seq)) return;
        out.putFailure(seq, t);
        endIfOver();
    }

    /** Whether this is the first outcome of chunk {@code seq} (a result delivered twice counts once). */
    private synchronized boolean firstOutcome(int seq) {
        if (back.get(seq)) return false;
        back.set(seq);
        outstanding--;
        return true;
    }

    private void endIfOver() {
        synchronized (this) {
            if (!exhausted || outstanding > 0) return;
        }
        if (markEnded()) leave(false);
    }

    @Override
    void abandon(Throwable t) {
        if (!markEnded()) return;
        out.end(t);
        leave(true);
    }
}
