package io.multiprocessing4j.distributed.internal.pool;

import io.multiprocessing4j.connection.ProcessError;
import io.multiprocessing4j.distributed.pool.RemoteWorkerLostException;
import io.multiprocessing4j.pool.WorkerLostException;
import io.multiprocessing4j.serial.Codec;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The thread of a {@link RedisPool} that takes its results from the server and hands each to
 * its job; the callbacks of the calls run here. A failure to reach the server is waited out
 * (the pool's housekeeping decides when pending calls fail for it).
 */
final class ResultReader implements Runnable {
    private static final int BATCH = 256;
    private static final long RETRY_MILLIS = 200;

    private final PoolClient client;
    private final Map<Long, ClientJob> jobs;
    private final Codec codec;
    private volatile boolean stopped;

    ResultReader(PoolClient client, Map<Long, ClientJob> jobs, Codec codec) {
        this.client = client;
        this.jobs = jobs;
        this.codec = codec;
    }

    /** Ends the thread within one {@link PoolClient#RESULT_WAIT}. */
    void stop() { stopped = true; }

    @Override
    public void run() {
        while (!stopped) {
            try {
                List<byte[]> batch = client.peekResults(BATCH);
                if (batch.isEmpty()) {
                    client.awaitResults();
                    continue;
                }
                for (byte[] r : batch) deliver(r); // a result seen twice (an ack lost with the server) is ignored by its job
                client.ackResults(batch.size(), batch.getFirst());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) { // the server is away, or the context closed
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void deliver(byte[] r) {
        TaskWire.ResultHeader h;
        try {
            h = TaskWire.resultHeader(r);
        } catch (RuntimeException e) {
            Callbacks.report(new ProcessError("a malformed pool result was dropped", e));
            return;
        }
        ClientJob job = jobs.get(h.job());
        if (job == null) return; // ended (cancelled, or gave up): its late results do not matter
        try {
            switch (h.status()) {
                case TaskWire.OK -> job.done(h.seq(), TaskWire.readItems(r, h.bodyStart(), codec));
                case TaskWire.FAILED -> job.failed(h.seq(), (Throwable) codec.decode(r, h.bodyStart(), r.length - h.bodyStart()));
                case TaskWire.LOST -> job.failed(h.seq(), lost(TaskWire.lostFields(r, h.bodyStart())));
                default -> job.failed(h.seq(), new ProcessError("unknown pool result status " + (char) h.status()));
            }
        } catch (IOException | RuntimeException e) { // a result this JVM cannot decode (a class it lacks, ...)
            job.failed(h.seq(), e);
        }
    }

    /** The failure of a task whose worker died; fields: host, pid, worker id. */
    private static WorkerLostException lost(String[] f) {
        long pid = -1;
        try {
            pid = Long.parseLong(f[1]);
        } catch (RuntimeException e) {
            // an unknown pid stays -1
        }
        return new RemoteWorkerLostException(pid, f[0], f.length > 2 ? f[2] : "?");
    }
}
