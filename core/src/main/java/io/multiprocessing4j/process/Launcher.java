package io.multiprocessing4j.process;

/**
 * How a start method runs a process: the seam between a {@link BaseProcess} and the
 * machinery of its start method (a fresh JVM, a spare JVM, a thread), as CPython's
 * {@code Popen} classes are. A {@code Context} gives each process it makes the launcher of
 * its start method; a process made without one gets the default launcher of its
 * {@link BaseProcess#startMethod() start method} when it starts.
 *
 * <p>The library implements this; a program has no need to implement or call it.
 */
public interface Launcher {
    /** The start method this launcher implements. */
    StartMethod method();

    /** What the processes it starts are started with. */
    SpawnOptions options();

    /**
     * Starts {@code p}, whose daemon flag is settled.
     *
     * @throws java.io.UncheckedIOException when the process cannot be launched or its task cannot be sent
     */
    Running start(BaseProcess p);

    /** The running side of one started process, whatever the start method. */
    interface Running {
        long pid();

        /** The exit code once the process ended, else null. Never blocks. */
        Integer exitCode();

        /** Waits up to {@code nanos} (negative: for ever); the exit code, or null when still running. */
        Integer waitFor(long nanos) throws InterruptedException;

        void terminate();

        void kill();

        /** Releases what the parent holds for this process (it has ended). */
        void close();
    }

    /**
     * The launchers of a JVM's processes made without a context: one per start method and
     * options. Found by {@link java.util.ServiceLoader} unless installed before the first
     * such start ({@link Bootstrap#installLaunchers}).
     */
    interface Factory {
        Launcher launcher(StartMethod method, SpawnOptions options);
    }
}
