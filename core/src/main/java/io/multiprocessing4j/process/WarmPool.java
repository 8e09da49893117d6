package io.multiprocessing4j.process;

import java.time.Duration;

/**
 * The spare JVMs of the {@code warm} start method: children started ahead, with the same
 * command line a {@code spawn} child gets, that wait for a task. While they wait they run
 * the library's hot paths (locks, pipes, queues, shared values) so that the JIT has
 * compiled them; a task given to a spare starts in a few milliseconds and runs compiled
 * code from its first operation, where a fresh JVM needs tens of milliseconds to start and
 * then runs its first operations interpreted. A warm-up is background work: it goes on only
 * while the other processes of the machine leave a CPU idle, and waits while they keep every
 * CPU busy (on Linux, from the kernel's CPU counters), so that spares warming up do not slow
 * the processes they are meant to speed up; while a thread waits in {@link #awaitWarm}, they
 * warm up regardless.
 *
 * <p>A process started from a pool takes a spare that has finished warming if there is
 * one, else the oldest spare, else (none left) it is spawned as {@code spawn} would; each
 * spare taken is replaced in the background (see {@link #setRefillOnTake}). A spare is an
 * ordinary child of this JVM until it gets its task (it dies with this JVM, even by
 * {@code SIGKILL}); from then on it is that process, with the same rules and exit codes as a
 * spawned one.
 *
 * <p>A {@code warm} {@code Context} owns one pool ({@code Context.warmPool()}), closed with
 * it; processes started with the {@code warm} method outside a context use one pool per
 * {@link SpawnOptions}, closed at exit. Thread-safe.
 */
public interface WarmPool extends AutoCloseable {
    /** Spares a pool keeps by default. */
    int DEFAULT_SIZE = 1;
    /** The most spares a pool keeps. */
    int MAX_SIZE = 64;

    /** What the spares are started with. */
    SpawnOptions options();

    /**
     * Keeps {@code n} spares (0 to {@link #MAX_SIZE}) from now on, starting the missing ones
     * in the background; surplus spares are stopped.
     *
     * @return this pool
     * @throws IllegalArgumentException when {@code n} is out of range
     * @throws IllegalStateException    when the pool is closed
     */
    WarmPool setSize(int n);

    /** How many spares the pool keeps. */
    int size();

    /**
     * Whether a spare taken by a start is replaced at once (the default), or only at the next
     * {@link #setSize} or {@link #awaitWarm}. A replacement's JVM start-up takes some CPU at
     * once; its warm-up, a few seconds of a core or two, waits for a CPU the other processes
     * leave idle.
     *
     * @return this pool
     */
    WarmPool setRefillOnTake(boolean refill);

    /**
     * Waits until the pool holds {@link #size()} spares that have finished warming up, at
     * most {@code timeout}. Starts the missing ones; while it waits, the spares warm up even
     * when the machine's CPUs are busy. A spare that dies meanwhile is replaced,
     * up to three in a row that die before warming up: then the pool stops refilling (its
     * processes are spawned) until {@link #setSize} is called again.
     *
     * @param timeout {@code null}: for ever; zero or negative: only checks (and starts the missing ones)
     * @return true when they are all warm; false on timeout or when spares cannot start
     * @throws InterruptedException  when interrupted while waiting
     * @throws IllegalStateException when the pool is closed
     */
    boolean awaitWarm(Duration timeout) throws InterruptedException;

    /** Stops every spare; a closed pool gives none. Closing again does nothing. */
    @Override
    void close();
}
