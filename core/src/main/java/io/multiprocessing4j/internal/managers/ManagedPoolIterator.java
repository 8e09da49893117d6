package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.pool.PoolIterator;

import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The results of {@code imap}/{@code imapUnordered} on a manager's pool: a managed object of
 * its own (typeid {@code PoolIterator}); each result is one request, whose wait runs on the
 * server in {@link Slice}s. {@link #hasNext} keeps the outcome it fetched for the next call.
 */
public final class ManagedPoolIterator<R> extends ManagedObject implements PoolIterator<R> {
    private transient List<?> held; // fetched by hasNext, not yet returned; guarded by this

    ManagedPoolIterator(Token token, Session session) { super(token, session); }

    /** The next outcome, waiting at most {@code nanos} (negative: for ever); null when none in time. */
    private synchronized List<?> fetch(long nanos) throws InterruptedException {
        if (held != null) return held;
        long deadline = Slice.deadline(nanos);
        for (;;) {
            if (Thread.interrupted()) throw new InterruptedException();
            List<?> o = (List<?>) through("next", Slice.next(deadline));
            if ((Integer) o.get(0) != PoolBuiltins.PENDING) return held = o;
            if (Slice.over(deadline)) return null;
        }
    }

    private synchronized List<?> take(long nanos) throws InterruptedException {
        List<?> o = fetch(nanos);
        if (o != null && (Integer) o.get(0) != PoolBuiltins.END) held = null; // the end stays the answer
        return o;
    }

    @Override
    public boolean hasNext() {
        try {
            return (Integer) fetch(-1).get(0) != PoolBuiltins.END;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public R next() {
        List<?> o;
        try {
            o = take(-1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
        return switch ((Integer) o.get(0)) {
            case PoolBuiltins.READY -> (R) o.get(1);
            case PoolBuiltins.FAILED -> throw new CompletionException((Throwable) o.get(1));
            case PoolBuiltins.END -> throw new NoSuchElementException("no more results");
            default -> throw new CancellationException((String) o.get(1));
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public R next(Duration timeout) throws InterruptedException, TimeoutException, ExecutionException {
        List<?> o = take(Slice.nanos(timeout));
        if (o == null) throw new TimeoutException("no result within " + timeout);
        return switch ((Integer) o.get(0)) {
            case PoolBuiltins.READY -> (R) o.get(1);
            case PoolBuiltins.FAILED -> throw new ExecutionException((Throwable) o.get(1));
            case PoolBuiltins.END -> throw new NoSuchElementException("no more results");
            default -> throw new CancellationException((String) o.get(1));
        };
    }

    @Override
    public void cancel() {
        invoke("cancel"); // first: a fetch under way holds the monitor until the server says cancelled
        synchronized (this) {
            if (held != null && (Integer) held.get(0) != PoolBuiltins.END) held = null;
        }
    }
}
