/**
 * Python's {@code multiprocessing} for JVM processes: the entry points.
 * {@link io.multiprocessing4j.Multiprocessing} is the static facade (Python's module-level
 * functions: {@code getContext}, {@code cpuCount}, {@code currentProcess}, attaching a shared
 * object by its handle); {@link io.multiprocessing4j.Context} makes everything else (processes,
 * pools, locks, queues, pipes, shared values and memory) with one start method and codec,
 * and releases what it made when it closes.
 *
 * <p>The types it makes are interfaces in the packages below ({@code sync}, {@code queues},
 * {@code connection}, {@code sharedctypes}, {@code pool}, ...); the shared-memory
 * implementations behind them are not exported. Code written against the interfaces takes a
 * manager's proxy as well as a context's object.
 */
package io.multiprocessing4j;
