package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.function.SerializableRunnable;
import io.multiprocessing4j.pool.Pool;

import java.io.Serializable;

/**
 * Makes the process pools of a manager's server ({@code SyncManager.pool}), in the server's
 * JVM: the root package supplies it through {@link ManagerHost#pools()}, so that this package
 * does not depend on the context above it. It travels to the server with the registry.
 */
@FunctionalInterface
public interface PoolMaker extends Serializable {
    /**
     * A new pool of {@code processes} workers ({@code initializer} may be null), and what
     * releases what was made for it alone (its context), which the server runs once the pool
     * is terminated.
     */
    Made make(int processes, SerializableRunnable initializer, int maxTasksPerChild);

    /** A pool and its release. */
    record Made(Pool pool, Runnable release) {}
}
