package io.multiprocessing4j.queues;

import io.multiprocessing4j.internal.shm.Heap;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.Serial;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * Python's {@code multiprocessing.JoinableQueue}: a {@link Queue} that counts unfinished
 * tasks. Every put adds one; {@link #taskDone()} (called by a consumer when it has finished
 * with an item it took) removes one; {@link #join()} waits until none is left. A consumer
 * killed before calling {@code taskDone} leaves its task unfinished for ever: give
 * {@link #join(Duration)} a timeout where that can happen.
 */
public final class JoinableQueue<E> extends Queue<E> {
    @Serial private static final long serialVersionUID = 1L;

    private JoinableQueue(ChunkLog log) {
        super(log);
    }

    /** A new joinable queue carved from {@code heap}; {@code maxsize} as for {@link Queue#create}. */
    public static <E> JoinableQueue<E> create(Heap heap, int maxsize) {
        return new JoinableQueue<>(ChunkLog.create(heap, Math.max(0, maxsize), ChunkLog.DEFAULT_CHUNK));
    }

    @Override
    boolean countsTasks() { return true; }

    /**
     * Marks one task done.
     *
     * @throws IllegalStateException "task_done() called too many times" when none is unfinished
     */
    public void taskDone() {
        if (!log.taskDone()) throw new IllegalStateException("task_done() called too many times");
    }

    /** Waits until every item put has been marked done. */
    public void join() throws InterruptedException {
        join(null);
    }

    /**
     * Waits at most {@code timeout} ({@code null}: for ever; negative: not at all) until every
     * item put has been marked done.
     *
     * @return false on timeout
     */
    public boolean join(Duration timeout) throws InterruptedException {
        try {
            return log.join(deadline(true, timeout));
        } catch (InterruptedIOException e) {
            Thread.interrupted();
            throw new InterruptedException(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The number of unfinished tasks (a snapshot). */
    public int unfinishedTasks() { return log.unfinished(); }

}
