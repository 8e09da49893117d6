package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.connection.ProcessError;

/**
 * One worker of a thread pool: a thread that runs the initializer, then tasks, in this JVM
 * (nothing is serialized), and hands over to a fresh thread after {@code maxTasksPerChild}
 * tasks, as Python's {@code ThreadPool} does.
 */
final class ThreadWorker implements Runnable {
    private final ShmPool pool;

    ThreadWorker(ShmPool pool) { this.pool = pool; }

    @Override
    public void run() {
        boolean successor = false;
        try {
            if (pool.initializer != null) {
                try {
                    pool.initializer.run();
                } catch (Throwable t) {
                    pool.broke(new ProcessError("the pool's initializer failed", t));
                    return;
                }
            }
            for (int done = 0; done < pool.maxTasks; ) {
                Chunk c;
                try {
                    c = pool.source.take();
                } catch (InterruptedException e) {
                    if (pool.source.finished()) return;
                    continue; // an interrupt left over from a task: a worker ends only with its pool
                }
                if (c == null) return;
                done++;
                Object[] results;
                try {
                    results = PoolWorker.call(c.job().kind, c.job().fn, c.items());
                } catch (Throwable t) {
                    c.job().failed(c, t);
                    continue;
                }
                c.job().done(c, results);
            }
            successor = true;
        } finally {
            Thread.interrupted(); // a terminate() aimed at the task just run
            pool.driverEnded(successor);
        }
    }
}
