package io.multiprocessing4j.process;

/** The running side of one started process, whatever the start method. */
interface Popen {
    long pid();

    /** The exit code once the process ended, else null. Never blocks. */
    Integer exitCode();

    /** Waits up to {@code nanos} (negative: for ever); the exit code or null when still running. */
    Integer waitFor(long nanos) throws InterruptedException;

    void terminate();

    void kill();

    /** Releases what the parent holds for this process (it has ended). */
    void close();
}
