package io.multiprocessing4j.distributed.pool;

import io.multiprocessing4j.pool.Pool;

/**
 * A {@link Pool} whose workers are JVMs on any machine that reaches the same server, started
 * with {@code bin/worker redis://host:port --pool NAME --processes N} ({@link Worker}). Made by
 * {@code DistributedContext.pool(name)}: every client and worker that names the pool shares
 * its queue of tasks. The calls, callbacks, chunk sizes and life cycle are {@link Pool}'s, with
 * these facts of a server:
 *
 * <ul>
 *   <li><b>Workers</b> are not owned by a client: {@link #processes()} is the number of live
 *       workers last seen (at least 1; {@link #liveWorkers()} may be 0), and the default
 *       chunk size is cut for it. A worker added while a call runs takes its queued chunks.
 *       Tasks, inputs and results cross in the library's codec, so a worker needs the task's
 *       classes on its class path ({@code bin/worker --classpath}); a worker that lacks them
 *       fails the task with the {@code ClassNotFoundException}. Pools have no initializer.
 *       <b>Whoever can write to the server can run code on the workers</b> (a task is code):
 *       give the server a password or TLS and keep it off untrusted networks.</li>
 *   <li><b>A worker that dies</b> (killed, crashed, or cut off from the server past its lease)
 *       fails the chunk it was running with a {@link RemoteWorkerLostException} once its lease
 *       has run out, or runs it once more elsewhere when the pool was made with
 *       {@link PoolOptions#withRetryOnWorkerLoss}; its other work was never taken from the
 *       queue. A worker stopped with SIGTERM finishes its chunk, or after a grace period gives
 *       it back to the queue.</li>
 *   <li><b>No live worker:</b> a call fails with {@link NoLiveWorkerException} once no worker
 *       has been alive for {@link PoolOptions#noWorkerTimeout()} while it waited.</li>
 *   <li><b>The server going away:</b> a call made while it is away throws the context's
 *       {@code ServerUnavailableException}; pending calls fail with it once the server has not
 *       answered for the context's lease (workers then drop this client's work). A server that
 *       restarted without its data fails the pending calls with an
 *       {@link IllegalStateException}; new calls work.</li>
 *   <li><b>Life cycle:</b> {@link #terminate()} cancels this client's pending calls and drops
 *       their queued chunks; chunks already running finish on their workers, which go on
 *       serving (they are not this client's to stop). {@link #shutdownNow()} returns the
 *       {@code Runnable}s whose results had not come back (one of them may have started on a
 *       worker). {@link #join()} waits until this client's calls have ended. Closing the
 *       context terminates the pool.</li>
 * </ul>
 *
 * <p>Waits ({@code get}, {@code next}, {@link #awaitTermination}) honour their timeouts and
 * {@link Thread#interrupt()} as {@link Pool} says; an interrupted {@code map} or {@code apply}
 * cancels its call. Thread-safe.
 */
public interface DistributedPool extends Pool {
    /** The pool's name on the server. */
    String name();

    /** How many workers were alive when this client last looked (a few times per lease). */
    int liveWorkers();
}
