package io.multiprocessing4j.connection;

import java.io.IOException;

/**
 * Something that {@link Connections#wait} can wait for besides connections and listeners:
 * Python's {@code sentinel}. A process ({@code process.BaseProcess}) is one, ready once it
 * has ended.
 */
public interface Waitable {

    /**
     * Whether it is ready now; never waits.
     *
     * @throws java.io.InterruptedIOException when the thread was interrupted while it looked
     * @throws IllegalStateException when it cannot become ready (a process not started)
     */
    boolean isReady() throws IOException;
}
