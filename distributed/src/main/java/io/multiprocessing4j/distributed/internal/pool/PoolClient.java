package io.multiprocessing4j.distributed.internal.pool;

import io.multiprocessing4j.distributed.ServerUnavailableException;
import io.multiprocessing4j.distributed.internal.Server;
import org.redisson.api.RBlockingDeque;
import org.redisson.api.RFuture;
import org.redisson.api.queue.DequeMoveArgs;
import org.redisson.client.codec.ByteArrayCodec;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
    private final RBlockingDeque<byte[]> results;

    PoolClient(Server server, String poolName) {
        this.server = server;
        this.prefix = prefix(poolName);
        this.leaseMillis = server.options().lease().toMillis();
        this.results = server.client().getBlockingDeque(prefix + "res:" + id, ByteArrayCodec.INSTANCE);
    }

    /** The key prefix of pool {@code name}. */
    static String prefix(String name) {
        if (name == null || name.isEmpty() || name.contains("|")) throw new IllegalArgumentException("a pool name must be non-empty, without '|': " + name);
        return "mp4j:pool:" + name + ":";
    }

    long leaseMillis() { return leaseMillis; }

    /**
     * Renews this client's key and returns its incarnation on the server: a new one (made here)
     * when the key had expired or the server lost it, which may have dropped the tasks and
     * results of the incarnations before.
     */
    String renew() {
        String fresh = UUID.randomUUID().toString().substring(0, 8);
        return text(server.eval(PoolScripts.CLIENT_RENEW, List.of(), prefix, id, leaseMillis, fresh));
    }

    private static String text(Object reply) {
        return reply instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : null;
    }

    /** Reaps dead workers; returns how many are alive. */
    int reap() {
        return (int) Server.asLong(server.eval(PoolScripts.REAP, List.of(), prefix));
    }

    /**
     * Queues {@code tasks} in their order and returns the incarnation of this client they were
     * queued under, or null when this client's key is gone (then no more were queued). Batches
     * queued under different incarnations count as lost: null.
     */
    String submit(List<byte[]> tasks) {
        String under = null;
        for (int from = 0; from < tasks.size(); from += SUBMIT_BATCH) {
            List<Object> args = new ArrayList<>();
            args.add(prefix);
            args.addAll(tasks.subList(from, Math.min(tasks.size(), from + SUBMIT_BATCH)));
            args.add(id);
            String inc = text(server.eval(PoolScripts.SUBMIT, List.of(), args.toArray()));
            if (inc == null || under != null && !under.equals(inc)) return null;
            under = inc;
        }
        return under;
    }

    /** Drops job {@code job}'s tasks that no worker has taken. */
    void cancel(long job) {
        server.eval(PoolScripts.CANCEL, List.of(), prefix, id, job, 3 * leaseMillis);
    }

    /** Removes this client's keys. */
    void leave() {
        server.eval(PoolScripts.CLIENT_LEAVE, List.of(), prefix, id);
    }

    /** This client's first results, up to {@code most}, left on the server until {@link #ackResults}. */
    List<byte[]> peekResults(int most) {
        Object reply = server.eval(PoolScripts.CLIENT_PEEK, List.of(), prefix, id, most);
        List<byte[]> out = new ArrayList<>();
        if (reply instanceof List<?> l) for (Object o : l) if (o instanceof byte[] b) out.add(b);
        return out;
    }

    /** Removes the first {@code n} results, which {@link #peekResults} returned, the first being {@code first}. */
    void ackResults(int n, byte[] first) {
        TaskWire.ResultHeader h = TaskWire.resultHeader(first);
        server.eval(PoolScripts.CLIENT_ACK, List.of(), prefix, id, n, Arrays.copyOf(first, h.bodyStart()));
    }

    /**
     * Waits up to {@link #RESULT_WAIT} until this client has a result. The wait moves the last
     * result to where it was (a blocking move from the list to itself), so a wait that the
     * connection replays after this thread gave up on it takes nothing away.
     */
    void awaitResults() throws InterruptedException {
        RFuture<byte[]> f = results.moveAsync(RESULT_WAIT, DequeMoveArgs.pollLast().addLastTo(results.getName()));
        await(f, RESULT_WAIT.toNanos() + server.options().timeout().toNanos());
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
