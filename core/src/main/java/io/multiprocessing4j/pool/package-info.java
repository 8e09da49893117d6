/**
 * Pools of workers: Python's {@code multiprocessing.pool}. {@link io.multiprocessing4j.pool.Pool}
 * ({@code map}, {@code imap}, {@code imapUnordered}, {@code starmap}, {@code applyAsync} with
 * callbacks, chunk sizes, {@code maxTasksPerChild}, initializers) is also an
 * {@link java.util.concurrent.ExecutorService}; {@link io.multiprocessing4j.pool.AsyncResult}
 * and {@link io.multiprocessing4j.pool.PoolIterator} are what its asynchronous calls return.
 * These are the contracts; a context makes a pool of worker processes of its start method
 * ({@code ctx.pool(n)}); a {@code thread} context's pool runs tasks on threads. A worker that
 * dies with tasks in hand fails them with {@link io.multiprocessing4j.pool.WorkerLostException}.
 */
package io.multiprocessing4j.pool;
