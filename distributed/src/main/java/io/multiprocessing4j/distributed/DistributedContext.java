package io.multiprocessing4j.distributed;

import io.multiprocessing4j.distributed.internal.Server;

import java.util.List;

/**
 * A connection to a Redis-protocol server whose factories make the library's API types
 * ({@code sync.Lock}, {@code queues.Queue}, a manager-style dict, ...) as objects on the
 * server, named so that any JVM on any machine that names them gets the same object.
 * Nothing is created in {@code /dev/shm}.
 *
 * <p><b>Closing</b> releases this JVM's connection; the objects stay on the server for the
 * other contexts. Thread-safe.
 */
public final class DistributedContext implements AutoCloseable {
    private final Server server;

    DistributedContext(DistributedOptions options) {
        this.server = Server.connect(options);
    }

    /** The options this context was made with. */
    public DistributedOptions options() { return server.options(); }

    /** Asks the server for an answer: true, or {@link ServerUnavailableException}. */
    public boolean ping() {
        return Server.asLong(server.eval("return {1}", List.of())) == 1;
    }

    @Override
    public void close() {
        server.close();
    }
}
