package io.multiprocessing4j.managers;

import java.io.IOException;
import java.time.Duration;

/**
 * A manager's server run in this JVM: Python's {@code Server}, from
 * {@link BaseManager#getServer()}. It listens on a TCP address or a Unix socket,
 * authenticates every connection with the authkey before it decodes anything from it, and
 * answers requests, one thread per connection; a client on this machine makes its calls
 * over shared memory, a remote one over its socket. A connection that fails the handshake,
 * is too slow to complete it, or sends something that is not a request is dropped; the
 * server goes on. Thread-safe.
 */
public interface ManagerServer {

    /**
     * Serves until the server is shut down (by a client's {@code shutdown()} or
     * {@link #shutdown()}): Python's {@code serve_forever()}. Starts it first if needed.
     *
     * @throws java.net.BindException when the address is in use
     * @throws InterruptedException when the calling thread is interrupted while it waits;
     *         the server goes on serving
     */
    void serveForever() throws IOException, InterruptedException;

    /**
     * Waits at most {@code timeout} (null: for ever) for the server to shut down.
     *
     * @return whether it has
     * @throws InterruptedException when interrupted while waiting
     */
    boolean awaitShutdown(Duration timeout) throws InterruptedException;

    /** The address clients connect to ({@code unix:/path} or {@code tcp:host:port}) once it listens, else null. */
    String address();

    /** How many objects the server holds now. */
    int numberOfObjects();

    /**
     * Stops accepting, closes every connection (its clients' calls then fail with
     * {@link ManagerUnreachableException}), frees its shared memory and drops its objects.
     * Idempotent; does not wait for threads that are inside a referent's method.
     */
    void shutdown();
}
