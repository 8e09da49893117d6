package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.connection.ProcessError;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.internal.connection.ShmPipe;
import io.multiprocessing4j.internal.sharedctypes.ShmRawValue;
import io.multiprocessing4j.pool.WorkerLostException;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.serial.Codec;
import io.multiprocessing4j.sharedctypes.RawValue;
import io.multiprocessing4j.sharedctypes.TypeCode;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;

/**
 * The pool's side of one worker process: a thread that starts the process, feeds it tasks
 * over its own pipe, hands the answers to their jobs, and starts a successor when the
 * process retires ({@code maxTasksPerChild}) or dies.
 *
 * <p>A worker is given a second task while it runs one ({@link #AHEAD}), so that it never
 * waits a round trip for work; but only while no other worker is idle, so that a task does
 * not queue behind a long one. A worker answers its tasks in order and takes the next only
 * after answering, and it counts the tasks it starts in shared memory: so when it dies, the
 * first unanswered task is the one it was running if the count says it started one, and the
 * others never started: they go back to the pool's queue.
 */
final class ProcessWorker implements Runnable {
    /** Tasks a worker holds at most: the one it runs and one ahead. */
    static final int AHEAD = 2;
    /** Each direction of a worker's pipe; a larger message streams through. */
    static final int RING = 256 << 10;
    /** How long a worker that was told to stop may take to end before it is killed. */
    static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final ShmPool pool;

    ProcessWorker(ShmPool pool) { this.pool = pool; }

    @Override
    public void run() {
        try {
            while (!pool.source.finished() && serveOneProcess()) {
                // a successor, in the same thread
            }
        } catch (InterruptedException e) {
            // terminated while stopping a worker: it is being killed anyway
        } catch (Throwable t) {
            pool.broke(new ProcessError("a pool worker's driver failed", t));
        } finally {
            pool.driverEnded(false);
        }
    }

    /** Runs one worker process to its end; false when no successor is wanted. */
    private boolean serveOneProcess() throws InterruptedException {
        Pipe pipe = ShmPipe.create(pool.heap, true, RING, pool.codec);
        ShmRawValue started = ShmRawValue.create(pool.heap, TypeCode.of('q'), 0L);
        BaseProcess p = null;
        try {
            // The default codec is the worker's own: not sent, since a codec need not be serializable.
            Codec workerCodec = pool.codec == Codec.defaultCodec() ? null : pool.codec;
            p = new BaseProcess(new PoolWorker(), pipe.conn2(), pool.initializer, started, workerCodec).startMethod(pool.launcher);
            p.setDaemon(true);
            p.setName(pool.workerName());
            if (!pool.startWorker(p)) return false;
            closeQuietly(pipe.conn2());
            return serve(p, pipe.conn1(), started);
        } finally {
            closeQuietly(pipe.conn1());
            closeQuietly(pipe.conn2());
            if (p != null && p.pid() != null) {
                awaitEnd(p);
                pool.workerEnded(p);
            }
            ShmPipe.free(pipe, pool.heap); // the process is gone: nobody else holds an end
            pool.heap.free(started.handle());
        }
    }

    /** Feeds the started process {@code p} until it retires or dies; false when no successor is wanted. */
    private boolean serve(BaseProcess p, Connection conn, RawValue started) throws InterruptedException {
        ArrayDeque<Chunk> running = new ArrayDeque<>();
        Map<Long, Boolean> sentFns = PoolWorker.functionCache();
        int sent = 0, answered = 0;
        try {
            while (true) {
                while (running.size() < AHEAD && sent < pool.maxTasks) {
                    Chunk c = running.isEmpty() ? pool.source.take() : pool.source.poll();
                    if (c == null) break;
                    Wire.Out task;
                    try {
                        task = task(c, sentFns);
                    } catch (IOException | RuntimeException e) { // an input that cannot be encoded
                        c.job().failed(c, e);
                        continue;
                    }
                    running.add(c);
                    sent++;
                    conn.sendBytes(task.buf, 0, task.size);
                }
                if (running.isEmpty()) break;
                Wire.yieldUntilReadable(conn);
                byte[] answer = conn.recvBytes();
                answered++;
                if (!deliver(running.poll(), answer, p)) return false;
            }
            conn.sendBytes(new byte[] {Wire.STOP});
            return sent >= pool.maxTasks;
        } catch (IOException e) { // the worker is gone (end of file, or a send found no reader)
            if (pool.source.finished() && running.isEmpty()) return false;
            awaitEnd(p); // for its exit code
            if (started.getLong() > answered) { // it died running the first unanswered task (it may also have died idle)
                Chunk lost = running.poll(); // not null: a started task is unanswered
                lost.job().failed(lost, new WorkerLostException(p.pid(), p.exitCode()));
            }
            pool.source.again(running); // never started; dropped if the pool was terminated
            return true;
        }
    }

    /** Waits for {@code p} to end, killing it if it takes longer than {@link #STOP_GRACE}. */
    private static void awaitEnd(BaseProcess p) throws InterruptedException {
        if (!p.join(STOP_GRACE)) p.kill();
        p.join();
    }

    /** The TASK message for {@code c}; the function goes along the first time this worker meets the job. */
    private Wire.Out task(Chunk c, Map<Long, Boolean> sentFns) throws IOException {
        Job job = c.job();
        boolean fnSent = sentFns.containsKey(job.id);
        int size = c.encoded() != null ? c.encoded().length : c.items().length * 16;
        Wire.Out out = new Wire.Out(64 + size + (fnSent ? 0 : job.fnBytes.length)).put(Wire.TASK).putLong(job.id).put(job.kind);
        if (fnSent) out.putInt(Wire.FN_SENT);
        else out.putValue(job.fnBytes);
        if (c.encoded() != null) out.putRaw(c.encoded());
        else Wire.putItems(out, c.items(), pool.codec);
        sentFns.put(job.id, Boolean.TRUE); // only once the message is built: the worker's cache must match
        return out;
    }

    /** Hands {@code answer} to its chunk's job; false when it says the pool is broken. */
    private boolean deliver(Chunk c, byte[] answer, BaseProcess p) {
        Wire.In in = new Wire.In(answer);
        byte type = in.get();
        try {
            switch (type) {
                case Wire.RESULT -> c.job().done(c, Wire.getItems(in, pool.codec));
                case Wire.FAILED -> c.job().failed(c, (Throwable) in.value(pool.codec));
                case Wire.INIT_FAILED -> {
                    pool.broke(new ProcessError("the pool's initializer failed in worker " + p.pid(), (Throwable) in.value(pool.codec)));
                    return false;
                }
                default -> throw new IOException("unknown answer type " + type + " from pool worker " + p.pid());
            }
        } catch (IOException | RuntimeException e) { // an answer this JVM cannot decode
            c.job().failed(c, e);
        }
        return true;
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (IOException e) {
            // nothing to do: the end is going away
        }
    }
}
