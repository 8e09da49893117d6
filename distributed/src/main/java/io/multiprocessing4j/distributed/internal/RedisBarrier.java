package io.multiprocessing4j.distributed.internal;

import io.multiprocessing4j.sync.Barrier;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;

/**
 * Python's {@code Barrier} on the server, a hash: {@code gen} (the cycle), {@code n} (arrived
 * in it), {@code broken}, {@code bgen} (the last cycle that ended broken), {@code parties}.
 * The last arrival runs the action and then advances {@code gen}, which releases the cycle;
 * arrivals while it runs the action wait for the next cycle. A waiter is released when
 * {@code gen} moves past its own (broken if {@code bgen} is its cycle) or sees its cycle
 * broken. Timeouts, interrupts, {@link #abort()} and a failing action break the cycle, only
 * if it is still the current one, inside one script.
 *
 * <p>The action runs in the JVM of the last arrival, if that JVM's barrier has one: the one
 * made with it, or one rebuilt from it if the action is serializable.
 */
final class RedisBarrier implements Barrier, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final String INIT = """
            if redis.call('EXISTS', KEYS[1]) == 0 then
              redis.call('HSET', KEYS[1], 'gen', 0, 'n', 0, 'broken', 0, 'bgen', -1, 'parties', ARGV[1])
            end
            local parties = tonumber(redis.call('HGET', KEYS[1], 'parties'))
            local gen = tonumber(redis.call('HGET', KEYS[1], 'gen'))
            local broken = tonumber(redis.call('HGET', KEYS[1], 'broken'))
            local n = tonumber(redis.call('HGET', KEYS[1], 'n'))
            """;
    /** {-1} broken, {-2} the cycle is tripping (try again), else {index, gen, last?}. */
    private static final String ARRIVE = INIT + """
            if broken == 1 then return {-1} end
            if n >= parties then return {-2} end
            n = redis.call('HINCRBY', KEYS[1], 'n', 1)
            return {n - 1, gen, n >= parties and 1 or 0}
            """;
    private static final String TRIP = INIT + """
            if gen ~= tonumber(ARGV[2]) or broken == 1 then return {0} end
            redis.call('HSET', KEYS[1], 'gen', gen + 1, 'n', 0)
            redis.call('PUBLISH', KEYS[1] .. ':w', '1')
            return {1}
            """;
    private static final String BREAK = INIT + """
            if (ARGV[2] ~= '' and gen ~= tonumber(ARGV[2])) or broken == 1 then return {0} end
            redis.call('HSET', KEYS[1], 'broken', 1, 'bgen', gen)
            redis.call('PUBLISH', KEYS[1] .. ':w', '1')
            return {1}
            """;
    private static final String RESET = INIT + """
            if broken == 1 then redis.call('HSET', KEYS[1], 'broken', 0, 'n', 0, 'gen', gen + 1)
            elseif n > 0 then redis.call('HSET', KEYS[1], 'bgen', gen, 'n', 0, 'gen', gen + 1) end
            redis.call('PUBLISH', KEYS[1] .. ':w', '1')
            return {1}
            """;
    private static final String STATE = INIT + "return {gen, broken, tonumber(redis.call('HGET', KEYS[1], 'bgen')), n, parties}";

    private final transient Home home;
    private final transient String key;
    private final transient Runnable action;
    private final String name;
    private final int parties;
    private final Duration defaultTimeout;

    RedisBarrier(Home home, String name, int parties, Runnable action, Duration defaultTimeout) {
        if (parties <= 0) throw new IllegalArgumentException("parties must be > 0");
        this.home = home;
        this.name = name;
        this.key = Home.key("barrier", name);
        this.parties = parties;
        this.action = action;
        this.defaultTimeout = defaultTimeout;
    }

    private List<?> call(String lua, Object gen) {
        home.check();
        return (List<?>) home.server().eval(lua, List.of(key), parties, gen);
    }

    private static long at(List<?> r, int i) {
        return Server.asLong(r.get(i));
    }

    @Override
    public int await() throws InterruptedException, BrokenBarrierException {
        return await(defaultTimeout);
    }

    @Override
    public int await(Duration timeout) throws InterruptedException, BrokenBarrierException {
        if (Thread.interrupted()) { // as CyclicBarrier: an interrupted arrival breaks the cycle
            abort();
            throw new InterruptedException();
        }
        long nanos = Waits.nanos(timeout);
        long start = System.nanoTime();
        Signals.Signal signal = home.signal(key + ":w");
        List<?> arrival = Waits.until(signal, nanos, () -> {
            List<?> r = call(ARRIVE, "");
            return at(r, 0) == -2 ? null : r;
        });
        if (arrival == null) throw timedOut();
        if (at(arrival, 0) == -1) throw new BrokenBarrierException();
        int index = (int) at(arrival, 0);
        long gen = at(arrival, 1);
        if (at(arrival, 2) == 1) return trip(index, gen);
        long left = nanos == Long.MAX_VALUE ? nanos : Math.max(0, nanos - (System.nanoTime() - start));
        List<?> end;
        try {
            end = Waits.until(signal, left, () -> {
                List<?> s = call(STATE, "");
                return at(s, 0) != gen || at(s, 1) == 1 ? s : null;
            });
        } catch (InterruptedException e) {
            if (broke(gen) || !tripped(gen)) throw e;
            Thread.currentThread().interrupt(); // released before the interrupt could break the cycle
            return index;
        }
        if (end == null) {
            if (broke(gen) || !tripped(gen)) throw timedOut();
            return index;
        }
        if (at(end, 0) != gen && at(end, 2) != gen) return index;
        throw new BrokenBarrierException();
    }

    /** Whether cycle {@code gen} ended by tripping (not broken). */
    private boolean tripped(long gen) {
        List<?> s = call(STATE, "");
        return at(s, 0) != gen && at(s, 2) != gen;
    }

    /** Breaks cycle {@code gen} if it is still the current one and unbroken. */
    private boolean broke(long gen) {
        return at(call(BREAK, gen), 0) == 1;
    }

    private BrokenBarrierException timedOut() {
        BrokenBarrierException e = new BrokenBarrierException("timed out waiting at the barrier '" + name + "'");
        e.initCause(new TimeoutException());
        return e;
    }

    private int trip(int index, long gen) throws BrokenBarrierException {
        if (action != null) {
            try {
                action.run();
            } catch (RuntimeException | Error e) {
                call(BREAK, gen);
                throw e;
            }
        }
        if (at(call(TRIP, gen), 0) != 1) throw new BrokenBarrierException();
        return index;
    }

    /** The parties this object was made with (the server's count is the first maker's). */
    int partiesGiven() { return parties; }

    @Override
    public void reset() {
        call(RESET, "");
    }

    @Override
    public void abort() {
        call(BREAK, "");
    }

    @Override
    public int parties() {
        return (int) at(call(STATE, ""), 4);
    }

    @Override
    public int nWaiting() {
        List<?> s = call(STATE, "");
        return at(s, 1) == 1 ? 0 : (int) Math.min(at(s, 3), at(s, 4));
    }

    @Override
    public boolean isBroken() {
        return at(call(STATE, ""), 1) == 1;
    }

    @Override
    public String toString() {
        return "DistributedBarrier[" + name + ", parties=" + parties + "]";
    }

    @Serial
    private Object writeReplace() {
        return new Ref(home.address(), "barrier", name,
                new long[] {parties, defaultTimeout == null ? -1 : defaultTimeout.toMillis()},
                action instanceof Serializable s ? s : null);
    }
}
