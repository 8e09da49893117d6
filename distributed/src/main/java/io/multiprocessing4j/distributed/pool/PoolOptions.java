package io.multiprocessing4j.distributed.pool;

import java.time.Duration;
import java.util.Objects;

/**
 * How a distributed pool's client treats failures. Immutable; {@link #defaults()} and the
 * {@code with} methods make new ones.
 *
 * <ul>
 *   <li>{@code retryOnWorkerLoss} (default false): a task whose worker died while running it
 *       is queued once more (at the head of the queue) instead of failing with a
 *       {@link RemoteWorkerLostException}; a second loss fails it. The task may then have run
 *       (in part) twice.</li>
 *   <li>{@code noWorkerTimeout} (default 30 s): a call fails with
 *       {@link NoLiveWorkerException} once no worker has been alive on the pool for this
 *       long while it waited.</li>
 * </ul>
 */
public final class PoolOptions {
    private static final PoolOptions DEFAULTS = new PoolOptions(false, Duration.ofSeconds(30));

    private final boolean retryOnWorkerLoss;
    private final Duration noWorkerTimeout;

    private PoolOptions(boolean retryOnWorkerLoss, Duration noWorkerTimeout) {
        this.retryOnWorkerLoss = retryOnWorkerLoss;
        this.noWorkerTimeout = noWorkerTimeout;
    }

    public static PoolOptions defaults() { return DEFAULTS; }

    public boolean retryOnWorkerLoss() { return retryOnWorkerLoss; }

    public Duration noWorkerTimeout() { return noWorkerTimeout; }

    public PoolOptions withRetryOnWorkerLoss(boolean retry) { return new PoolOptions(retry, noWorkerTimeout); }

    /** @throws IllegalArgumentException when {@code timeout} is negative */
    public PoolOptions withNoWorkerTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) throw new IllegalArgumentException("negative timeout: " + timeout);
        return new PoolOptions(retryOnWorkerLoss, timeout);
    }

    @Override
    public String toString() {
        return "PoolOptions[retryOnWorkerLoss " + retryOnWorkerLoss + ", noWorkerTimeout " + noWorkerTimeout + "]";
    }
}
