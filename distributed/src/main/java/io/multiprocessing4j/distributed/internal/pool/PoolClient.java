package io.multiprocessing4j.distributed.internal.pool;

import io.multiprocessing4j.distributed.ServerUnavailableException;
import io.multiprocessing4j.distributed.internal.Server;
import org.redisson.api.RBlockingQueue;
import org.redisson.api.RFuture;
import org.redisson.client.codec.ByteArrayCodec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A pool client's calls to the server ({@link PoolScripts}): its identity there (a liveness
 * key it renews), queueing tasks, cancelling jobs, reaping dead workers, and taking its
 * results. Every call fails with {@link ServerUnavailableException} when the server does not
 * answer within the context's timeout.
 */
final class PoolClient {
    /** How long one wait for results blocks on the server; the result thread sees a stop within it. */
    static final Duration RESULT_WAIT = Duration.ofSeconds(1);
    /** Task messages per queueing call, so that one script does not hold the server long. */
    private static final int SUBMIT_BATCH = 512;

    final Server server;
    final String prefix;
    final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    private final long leaseMillis;
    private final RBlockingQueue<byte[]> results;

    PoolClient(Server server, String poolName) {
        this.server = server;
        this.prefix = prefix(poolName);
        this.leaseMillis = server.options().lease().toMillis();
        this.results = server.client().getBlockingQueue(prefix + "res:" + id, ByteArrayCodec.INSTANCE);
    }

    /** The key prefix of pool {@code name}. */
    static String prefix(String name) {
        if (name == null || name.isEmpty() || name.contains("|")) throw new IllegalArgumentException("a pool name must be non-empty, without '|': " + name);
        return "mp4j:pool:" + name + ":";
    }

    long leaseMillis() { return leaseMillis; }

    /** Renews this client's key; false when it had expired or was lost (the server may have dropped this client's tasks). */
    boolean renew() {
        return Server.asLong(server.eval(PoolScripts.CLIENT_RENEW, List.of(), prefix, id, leaseMillis)) == 1;
    }

    /** Reaps dead workers; returns how many are alive. */
    int reap() {
        return (int) Server.asLong(server.eval(PoolScripts.REAP, List.of(), prefix));
    }

    /** Queues {@code tasks} in their order; false when this client's key is gone (nothing more was queued). */
    boolean submit(List<byte[]> tasks) {
        for (int from = 0; from < tasks.size(); from += SUBMIT_BATCH) {
            List<Object> args = new ArrayList<>();
            args.add(prefix);
            args.addAll(tasks.subList(from, Math.min(tasks.size(), from + SUBMIT_BATCH)));
            args.add(id);
            if (Server.asLong(server.eval(PoolScripts.SUBMIT, List.of(), args.toArray())) == 0) return false;
        }
        return true;
    }

    /** Drops job {@code job}'s tasks that no worker has taken. */
    void cancel(long job) {
        server.eval(PoolScripts.CANCEL, List.of(), prefix, id, job, 3 * leaseMillis);
    }

    /** Removes this client's keys. */
    void leave() {
        server.eval(PoolScripts.CLIENT_LEAVE, List.of(), prefix, id);
    }

    /** Waits up to {@link #RESULT_WAIT} for results and returns those there are (up to {@code most}). */
    List<byte[]> takeResults(int most) throws InterruptedException {
        RFuture<Map<String, List<byte[]>>> f = results.pollFirstFromAnyAsync(RESULT_WAIT, most);
        Map<String, List<byte[]>> m = await(f, RESULT_WAIT.toNanos() + server.options().timeout().toNanos());
        if (m == null || m.isEmpty()) return List.of();
        List<byte[]> all = new ArrayList<>();
        for (List<byte[]> l : m.values()) all.addAll(l);
        return all;
    }

    /** Waits for a blocking call's reply at most {@code nanos} (plus a margin for the network). */
    <T> T await(RFuture<T> f, long nanos) throws InterruptedException {
        try {
            return f.toCompletableFuture().get(nanos + TimeUnit.MILLISECONDS.toNanos(250), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ServerUnavailableException("no answer from " + server.options().address() + " within "
                    + server.options().timeout(), e);
        } catch (ExecutionException e) {
            throw new ServerUnavailableException("no answer from " + server.options().address() + ": " + e.getCause(), e.getCause());
        }
    }
}
