package io.multiprocessing4j.distributed.internal.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * The thread of a {@link RedisPool} that reads the inputs of {@code imap} calls and queues
 * their chunks ({@link StreamJob#feed()}), so that neither the caller nor the result thread
 * waits for a slow input.
 */
final class Feeder {
    private final RedisPool pool;
    private final ExecutorService thread;

    Feeder(RedisPool pool) {
        this.pool = pool;
        this.thread = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name("mp4j-dpool-feeder-" + pool.name()).daemon(true).unstarted(r));
    }

    /** Lets {@code job} cut what its window allows now. */
    void wake(StreamJob job) {
        try {
            thread.execute(job::feed);
        } catch (RejectedExecutionException e) {
            // the pool has terminated: the job was abandoned
        }
    }

    void stop() { thread.shutdown(); }

    /** How a job's chunks become task messages on the server. */
    Sender sender(byte[] fnBytes, int retries) { return new Sender(fnBytes, retries); }

    final class Sender {
        private final byte[] fnBytes;
        private final int retries;

        private Sender(byte[] fnBytes, int retries) {
            this.fnBytes = fnBytes;
            this.retries = retries;
        }

        void wake(StreamJob job) { Feeder.this.wake(job); }

        /** Queues {@code chunks} of {@code job}, the first being chunk {@code firstSeq}; a chunk that cannot be encoded fails at its place. */
        void send(StreamJob job, int firstSeq, List<Object[]> chunks) {
            List<byte[]> tasks = new ArrayList<>(chunks.size());
            for (int i = 0; i < chunks.size(); i++) {
                try {
                    byte[] items = pool.encodeItems(chunks.get(i), -1);
                    tasks.add(TaskWire.task(pool.client.id, job.id, firstSeq + i, retries, TaskWire.FUNCTION, fnBytes, items));
                } catch (IllegalArgumentException e) {
                    job.notSent(firstSeq + i, e);
                }
            }
            try {
                if (!tasks.isEmpty()) pool.queue(job, tasks);
            } catch (RuntimeException e) {
                // the job was abandoned with it: its iterator throws it
            }
        }
    }
}
