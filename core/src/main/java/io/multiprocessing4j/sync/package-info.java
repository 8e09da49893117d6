/**
 * Synchronization shared by processes, Python's {@code multiprocessing.synchronize}:
 * {@link io.multiprocessing4j.sync.Lock}, {@link io.multiprocessing4j.sync.RLock},
 * {@link io.multiprocessing4j.sync.Semaphore}, {@link io.multiprocessing4j.sync.BoundedSemaphore},
 * {@link io.multiprocessing4j.sync.Condition}, {@link io.multiprocessing4j.sync.Event} and
 * {@link io.multiprocessing4j.sync.Barrier}. These are the contracts; a context makes them
 * in shared memory ({@code ctx.lock()}, ...), a manager as proxies, and code written
 * against them takes either. {@code Lock}, {@code Condition} and {@code Semaphore} share
 * their simple names with {@code java.util.concurrent} types: {@code Lock} and
 * {@code Condition} extend theirs, so importing ours is enough.
 */
package io.multiprocessing4j.sync;
