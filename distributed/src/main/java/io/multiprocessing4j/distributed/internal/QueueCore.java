package io.multiprocessing4j.distributed.internal;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The server side of a queue: a list of encoded items ({@code K}), a hash of counters
 * ({@code K:meta}: {@code maxsize}, the first maker's; {@code unfinished} for a joinable
 * queue) and a hash of receipts ({@code K:inflight}).
 *
 * <h2>No item lost or doubled when a receiver dies</h2>
 * A get moves the item, in one script, from the list to a receipt list of its own
 * ({@code K:r:<context id>:<n>}) recorded in {@code K:inflight} with the receiver's context
 * id; once the item has reached the receiver, a second script deletes the receipt. Every
 * get first gives back to the head of the queue the items whose receiver's context is
 * dead (its liveness key expired). So a receiver killed before the item reached it loses
 * nothing: the item goes to the next receiver, after the lease. One that dies after its get
 * returned has the item, and its receipt is normally gone already; the one gap is a receipt
 * whose deletion failed (the server went away just then): it is retried by the next get of
 * this context, and if the context dies before that, the item is delivered a second time.
 *
 * <h2>Wake-ups</h2>
 * A put publishes on {@code K:w} only while {@code K:meta} counts getters that wait, a get
 * only while it counts putters that wait (or when it gave items back): a queue that nobody
 * waits on costs no message per call. A waiter counts itself after its first attempt failed
 * and tries once more before it sleeps, so a call between the two is not missed. A waiter
 * whose JVM dies stays counted: the queue then publishes for nothing, as it did before.
 */
final class QueueCore {
    private static final String PUT = """
            redis.call('HSETNX', KEYS[2], 'maxsize', ARGV[1])
            local m = tonumber(redis.call('HGET', KEYS[2], 'maxsize'))
            if m > 0 and redis.call('LLEN', KEYS[1]) >= m then return {0} end
            redis.call('RPUSH', KEYS[1], ARGV[2])
            if ARGV[3] == '1' then redis.call('HINCRBY', KEYS[2], 'unfinished', 1) end
            if tonumber(redis.call('HGET', KEYS[2], 'getters') or '0') > 0 then redis.call('PUBLISH', KEYS[1] .. ':w', '1') end
            return {1}
            """;
    private static final String GET = """
            local mine = ARGV[3] .. ARGV[2]
            if redis.call('EXISTS', mine) == 0 then redis.call('SET', mine, '1', 'PX', ARGV[4]) end
            for i = 5, #ARGV do redis.call('DEL', ARGV[i]) redis.call('HDEL', KEYS[3], ARGV[i]) end
            local inflight = redis.call('HGETALL', KEYS[3])
            local wake = tonumber(redis.call('HGET', KEYS[2], 'putters') or '0') > 0
            for i = 1, #inflight, 2 do
              if redis.call('EXISTS', ARGV[3] .. inflight[i + 1]) == 0 then
                local it = redis.call('LPOP', inflight[i])
                if it then
                  redis.call('LPUSH', KEYS[1], it)
                  wake = wake or tonumber(redis.call('HGET', KEYS[2], 'getters') or '0') > 0
                end
                redis.call('DEL', inflight[i])
                redis.call('HDEL', KEYS[3], inflight[i])
              end
            end
            local item = redis.call('LPOP', KEYS[1])
            if not item then
              if wake then redis.call('PUBLISH', KEYS[1] .. ':w', '1') end
              return {0}
            end
            redis.call('RPUSH', ARGV[1], item)
            redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
            if wake then redis.call('PUBLISH', KEYS[1] .. ':w', '1') end
            return {1, item}
            """;
    private static final String WAITERS = "return {redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])}";
    private static final String ACK = "redis.call('DEL', ARGV[1]) redis.call('HDEL', KEYS[1], ARGV[1]) return {1}";
    private static final String STATS = """
            redis.call('HSETNX', KEYS[2], 'maxsize', ARGV[1])
            local first = redis.call('LINDEX', KEYS[1], 0)
            return {redis.call('LLEN', KEYS[1]), tonumber(redis.call('HGET', KEYS[2], 'maxsize')),
                    tonumber(redis.call('HGET', KEYS[2], 'unfinished') or '0'), first or ''}
            """;
    private static final String TASK_DONE = """
            local u = tonumber(redis.call('HGET', KEYS[1], 'unfinished') or '0')
            if u <= 0 then return {0} end
            if redis.call('HINCRBY', KEYS[1], 'unfinished', -1) == 0 then redis.call('PUBLISH', KEYS[1] .. ':w', '1') end
            return {1}
            """;

    /** A test hook: the JVM halts between receiving an item and deleting its receipt, as a receiver killed there. */
    private static final boolean HALT_AFTER_RECEIVE = Boolean.getBoolean("mp4j.distributed.test.haltAfterReceive");

    final Home home;
    final String key;
    private final String meta;
    private final String inflight;
    final int maxsize;
    private final ConcurrentLinkedQueue<String> unacknowledged = new ConcurrentLinkedQueue<>();

    QueueCore(Home home, String key, int maxsize) {
        this.home = home;
        this.key = key;
        this.meta = key + ":meta";
        this.inflight = key + ":inflight";
        this.maxsize = maxsize;
    }

    Signals.Signal itemsSignal() {
        return home.signal(key + ":w");
    }

    Signals.Signal tasksSignal() {
        return home.signal(meta + ":w");
    }

    /** Appends {@code item} unless the queue is full; counts a task when {@code task}. */
    boolean put(byte[] item, boolean task) {
        home.check();
        return Server.asLong(((List<?>) home.server().eval(PUT, List.of(key, meta), maxsize, item, task ? 1 : 0)).get(0)) == 1;
    }

    /** Counts ({@code +1}) or uncounts ({@code -1}) a waiting getter, or putter when {@code putter}. */
    void waiting(boolean putter, int delta) {
        home.server().eval(WAITERS, List.of(meta), putter ? "putters" : "getters", delta);
    }

    /** The first item (moved to a receipt and the receipt deleted), or null when there is none. */
    byte[] get() {
        home.check();
        String receipt = home.unique(key + ":r");
        Object[] args = new Object[4];
        args[0] = receipt;
        args[1] = home.id();
        args[2] = Home.ALIVE;
        args[3] = home.leaseMillis();
        List<String> stale = drainUnacknowledged();
        Object[] all = new Object[4 + stale.size()];
        System.arraycopy(args, 0, all, 0, 4);
        for (int i = 0; i < stale.size(); i++) all[4 + i] = stale.get(i);
        List<?> r;
        try {
            r = (List<?>) home.server().eval(GET, List.of(key, meta, inflight), all);
        } catch (RuntimeException e) {
            unacknowledged.addAll(stale);
            throw e;
        }
        if (Server.asLong(r.get(0)) == 0) return null;
        byte[] item = (byte[]) r.get(1);
        if (HALT_AFTER_RECEIVE) Runtime.getRuntime().halt(137);
        try {
            home.server().eval(ACK, List.of(inflight), receipt);
        } catch (RuntimeException e) {
            unacknowledged.add(receipt); // the item reached us: deliver it, delete the receipt later
        }
        return item;
    }

    private List<String> drainUnacknowledged() {
        if (unacknowledged.isEmpty()) return List.of();
        List<String> l = new java.util.ArrayList<>();
        for (String s; (s = unacknowledged.poll()) != null; ) l.add(s);
        return l;
    }

    /** {length, maxsize, unfinished, first item or empty bytes}. */
    List<?> stats() {
        home.check();
        return (List<?>) home.server().eval(STATS, List.of(key, meta), maxsize);
    }

    /** False when no task is unfinished. */
    boolean taskDone() {
        home.check();
        return Server.asLong(((List<?>) home.server().eval(TASK_DONE, List.of(meta))).get(0)) == 1;
    }
}
