package io.multiprocessing4j.internal.pool;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A unit of submission (one {@code apply}, {@code map} or {@code imap} call): a function and
 * the chunks it runs on, handed out by {@link #next(boolean)}, and the sink of their outcomes.
 * Outcomes arrive from any pool thread; a job ignores those that come after it ended.
 */
abstract class Job {
    private static final AtomicLong IDS = new AtomicLong();

    final long id = IDS.incrementAndGet();
    final byte kind;
    final Object fn;
    /** The function's encoding, for worker processes (null in a thread pool). */
    final byte[] fnBytes;
    private final Set<Job> live;

    /** A job that stays in {@code live} (the pool's unfinished jobs) until it calls {@link #ended()}. */
    Job(byte kind, Object fn, byte[] fnBytes, Set<Job> live) {
        this.kind = kind;
        this.fn = fn;
        this.fnBytes = fnBytes;
        this.live = live;
        live.add(this);
    }

    /** Leaves the pool's unfinished jobs. */
    final void ended() { live.remove(this); }

    /**
     * The next chunk to hand out, or null when there is none now; called under the task
     * source's lock. {@code draining}: the pool takes no more calls, so nothing may hold
     * work back.
     */
    abstract Chunk next(boolean draining);

    /** Whether {@link #next} will never again hand out a chunk. */
    abstract boolean exhausted();

    /** Whether the job's outcome no longer matters (cancelled, or ended by its pool). */
    abstract boolean isDone();

    /** {@code c} ran: its results, in its items' order. */
    abstract void done(Chunk c, Object[] results);

    /** {@code c} failed with {@code t}. */
    abstract void failed(Chunk c, Throwable t);

    /** The pool ends before this job does: what is outstanding ends with {@code t} (a {@link java.util.concurrent.CancellationException} when terminated). */
    abstract void abandon(Throwable t);
}
