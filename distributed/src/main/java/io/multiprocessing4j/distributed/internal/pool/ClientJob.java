package io.multiprocessing4j.distributed.internal.pool;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One call of a {@link RedisPool} ({@code apply}, {@code map}, {@code imap}, ...) as its
 * client sees it: the sink of its chunks' outcomes, which arrive on the pool's result
 * thread. Outcomes that arrive after the job ended are ignored. A job ends once: when its
 * last chunk came back, or when it is abandoned (cancelled, the pool terminated, or the pool
 * gave up on it); then it leaves the pool's table of live jobs, once its outcome is settled.
 */
abstract class ClientJob {
    final long id;
    final long createdNanos = System.nanoTime();
    private final RedisPool pool;
    private final AtomicBoolean ended = new AtomicBoolean();
    /** The client's incarnation on the server its tasks were queued under; null before the first are queued. */
    private volatile String incarnation;

    ClientJob(RedisPool pool, long id) {
        this.pool = pool;
        this.id = id;
    }

    /** Chunk {@code seq} ran: its results, in its inputs' order. */
    abstract void done(int seq, Object[] results);

    /** Chunk {@code seq} failed with {@code t}. */
    abstract void failed(int seq, Throwable t);

    /** The job ends before its chunks are all back; what is outstanding fails with {@code t} (cancelled for a {@link java.util.concurrent.CancellationException}). */
    abstract void abandon(Throwable t);

    /** Whether the pool's shutdown lets this job read all of its input now. */
    void draining() {}

    /** Marks the job ended; true for the one caller that ended it, who then settles its outcome and calls {@link #leave}. */
    final boolean markEnded() { return ended.compareAndSet(false, true); }

    /**
     * Takes the ended job out of the pool's table (after its outcome is settled, so that a pool
     * that terminates has settled every call); its queued tasks are dropped on the server when
     * {@code cancelQueued}.
     */
    final void leave(boolean cancelQueued) { pool.ended(this, cancelQueued); }

    final boolean isEnded() { return ended.get(); }

    /** Records that tasks were queued under {@code inc}; false when earlier ones were queued under another (they may be gone). */
    final synchronized boolean queuedUnder(String inc) {
        if (incarnation == null) incarnation = inc;
        return incarnation.equals(inc);
    }

    /** Whether tasks of this job were queued under an incarnation other than {@code inc}. */
    final boolean queuedBefore(String inc) {
        String mine = incarnation;
        return mine != null && !mine.equals(inc);
    }
}
