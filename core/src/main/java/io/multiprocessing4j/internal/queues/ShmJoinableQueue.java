package io.multiprocessing4j.internal.queues;

import io.multiprocessing4j.queues.JoinableQueue;
import io.multiprocessing4j.serial.Codec;
import io.multiprocessing4j.internal.shm.Heap;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.Serial;
import java.io.UncheckedIOException;
import java.time.Duration;

/** The shared-memory {@link JoinableQueue}: the task counters sit in the {@link ChunkLog}'s header. */
public final class ShmJoinableQueue<E> extends ShmQueue<E> implements JoinableQueue<E> {
    @Serial private static final long serialVersionUID = 1L;

    private ShmJoinableQueue(ChunkLog log, Codec codec) {
        super(log, codec);
    }

    /** A view of {@code log}, received by a child ({@link ShmQueue#readQueue}), with the default codec. */
    static ShmJoinableQueue<Object> of(ChunkLog log) { return new ShmJoinableQueue<>(log, Codec.defaultCodec()); }

    /** A new joinable queue carved from {@code heap}; {@code maxsize} and {@code codec} as for {@link ShmQueue#create}. */
    public static <E> ShmJoinableQueue<E> create(Heap heap, int maxsize, Codec codec) {
        return new ShmJoinableQueue<>(ChunkLog.create(heap, Math.max(0, maxsize), ChunkLog.DEFAULT_CHUNK), codec);
    }

    @Override
    boolean countsTasks() { return true; }

    @Override
    public void taskDone() {
        if (!log.taskDone()) throw new IllegalStateException("task_done() called too many times");
    }

    @Override
    public void join() throws InterruptedException {
        join(null);
    }

    @Override
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

    @Override
    public int unfinishedTasks() { return log.unfinished(); }

}
