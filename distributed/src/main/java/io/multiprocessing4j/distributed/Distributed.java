package io.multiprocessing4j.distributed;

/**
 * The entry point to the distributed backend: a {@link DistributedContext} on a
 * Redis-protocol server (Valkey or Redis) whose factories return the library's API types
 * ({@code sync.Lock}, {@code queues.Queue}, ...), so code written against them runs
 * unchanged across machines.
 *
 * <pre>{@code
 * try (DistributedContext ctx = Distributed.context("redis://10.0.0.5:6379")) {
 *     Lock lock = ctx.lock("orders");   // the same lock in every JVM that names it
 * }
 * }</pre>
 */
public final class Distributed {
    private Distributed() {}

    /** A context on the server at {@code address} ({@code redis://host:port}), default options. */
    public static DistributedContext context(String address) {
        return context(DistributedOptions.builder(address).build());
    }

    /**
     * A context with {@code options}. Connects at once.
     *
     * @throws ServerUnavailableException if the server does not answer within the timeout,
     *         or refuses the credentials
     */
    public static DistributedContext context(DistributedOptions options) {
        return new DistributedContext(options);
    }
}
