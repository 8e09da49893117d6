package io.multiprocessing4j.internal.pool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * The pool's queue of work: jobs in the order they were submitted, each handing out its
 * chunks in turn, and ahead of them the chunks to run again (taken by a worker that died
 * before starting them). The workers' drivers take from it.
 */
final class TaskSource {
    private final ArrayDeque<Job> jobs = new ArrayDeque<>();
    private final ArrayDeque<Chunk> again = new ArrayDeque<>();
    private int idle; // drivers waiting in take()
    private boolean closed, terminated;

    /** Queues {@code job}. @throws RejectedExecutionException once the pool no longer takes work */
    synchronized void add(Job job) {
        if (closed) throw new RejectedExecutionException("Pool not running");
        jobs.add(job);
        notifyAll();
    }

    /** The next chunk, waiting for one; null once there will be none (closed and drained, or terminated). */
    synchronized Chunk take() throws InterruptedException {
        while (true) {
            Chunk c = next();
            if (c != null) return c;
            if (finished()) return null;
            idle++;
            try {
                wait();
            } finally {
                idle--;
            }
        }
    }

    /** A chunk to send ahead to a busy worker, unless a worker waits idle for it (or there is none). */
    synchronized Chunk poll() { return idle > 0 ? null : next(); }

    /** Puts chunks that no worker ran back at the head, in their order. */
    synchronized void again(Collection<Chunk> chunks) {
        if (terminated) return;
        List<Chunk> l = new ArrayList<>(chunks);
        for (int i = l.size() - 1; i >= 0; i--) again.addFirst(l.get(i));
        notifyAll();
    }

    private Chunk next() {
        if (terminated) return null;
        for (Chunk c; (c = again.poll()) != null; ) if (!c.job().isDone()) return c;
        for (Iterator<Job> i = jobs.iterator(); i.hasNext(); ) { // the first job that has work now
            Job j = i.next();
            Chunk c = j.next(closed);
            if (c != null) return c;
            if (j.exhausted()) i.remove();
        }
        return null;
    }

    /** A job that held work back has some to give now. */
    synchronized void wake() { notifyAll(); }

    /** Whether no chunk will be handed out any more. */
    synchronized boolean finished() { return terminated || closed && jobs.isEmpty() && again.isEmpty(); }

    /** Takes no more jobs; those queued still run. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }

    /** Takes no more jobs and hands out nothing more. */
    synchronized void terminate() {
        closed = terminated = true;
        jobs.clear();
        again.clear();
        notifyAll();
    }
}
