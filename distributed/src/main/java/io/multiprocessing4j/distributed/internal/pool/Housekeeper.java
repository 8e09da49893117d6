package io.multiprocessing4j.distributed.internal.pool;

import io.multiprocessing4j.distributed.ServerUnavailableException;
import io.multiprocessing4j.distributed.pool.NoLiveWorkerException;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The periodic duties of a {@link RedisPool}, on a thread of their own, a few times per lease:
 * <ul>
 *   <li>renew the client's key: while it lives, workers keep its tasks and results. When a
 *       renewal finds the key gone (the server restarted and lost its data, or this client was
 *       cut off past its lease), the pending calls fail: their tasks or results may be gone;</li>
 *   <li>reap dead workers ({@link PoolScripts#REAP}), counting the live ones;</li>
 *   <li>fail the calls that waited {@code noWorkerTimeout} with no live worker
 *       ({@link NoLiveWorkerException}), and all pending calls once the server has not answered
 *       for a lease ({@link ServerUnavailableException});</li>
 *   <li>terminate the pool when its context was closed.</li>
 * </ul>
 */
final class Housekeeper {
    private final RedisPool pool;
    private final long noWorkerNanos;
    private final BooleanSupplier contextClosed;
    private final ScheduledExecutorService thread;
    private final long leaseNanos;
    private long lastRenewal = System.nanoTime(); // on the housekeeping thread only
    private long noWorkerSince = -1; // when the live workers were last seen dropping to 0; -1 while there are some

    Housekeeper(RedisPool pool, Duration noWorkerTimeout, BooleanSupplier contextClosed) {
        this.pool = pool;
        this.noWorkerNanos = Timeouts.nanos(noWorkerTimeout);
        this.contextClosed = contextClosed;
        this.leaseNanos = TimeUnit.MILLISECONDS.toNanos(pool.client.leaseMillis());
        long period = Math.clamp(pool.client.leaseMillis() / 4, 100, 1000);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("mp4j-dpool-housekeeper-" + pool.name()).daemon(true).unstarted(r));
        thread.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    void stop() { thread.shutdownNow(); }

    private void tick() {
        if (contextClosed.getAsBoolean()) {
            pool.terminate();
            return;
        }
        long now = System.nanoTime();
        try {
            pool.clientLost(pool.client.renew()); // fails nothing while the incarnation stays the one the calls were queued under
            lastRenewal = now;
            int live = pool.client.reap();
            pool.liveWorkers(live);
            if (live > 0) noWorkerSince = -1;
            else if (noWorkerSince < 0) noWorkerSince = now;
            if (live == 0) failWaitingTooLong(now);
        } catch (ServerUnavailableException e) {
            if (now - lastRenewal > leaseNanos) pool.failAll(e);
        } catch (RuntimeException e) {
            if (now - lastRenewal > leaseNanos) pool.failAll(new ServerUnavailableException("pool '" + pool.name() + "' cannot reach "
                    + pool.address() + ": " + e, e));
        }
    }

    private void failWaitingTooLong(long now) {
        for (ClientJob j : pool.jobs()) {
            long since = Math.max(noWorkerSince, j.createdNanos);
            if (now - since >= noWorkerNanos) {
                j.abandon(new NoLiveWorkerException("no live worker on pool '" + pool.name() + "' at " + pool.address() + " for "
                        + Duration.ofNanos(now - since).toSeconds() + " s (the pool's noWorkerTimeout): start workers with "
                        + "bin/worker " + pool.address() + " --pool " + pool.name()));
            }
        }
    }
}
