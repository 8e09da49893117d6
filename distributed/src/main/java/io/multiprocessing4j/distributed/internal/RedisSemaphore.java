package io.multiprocessing4j.distributed.internal;

import io.multiprocessing4j.sync.BoundedSemaphore;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * Python's {@code Semaphore} and {@code BoundedSemaphore} on the server: a hash with the
 * value {@code v} and the bound {@code max} (-1 when unbounded), made with the initial value
 * by the first script that finds it missing (the first maker's value wins; a server that
 * lost its data starts again from it). A bounded release past the bound is refused inside
 * the script, so two racing releases cannot both pass. Implements {@link BoundedSemaphore}
 * for both kinds; only a bounded one refuses.
 *
 * <p>No owner: the permits of a process that died are lost, as the interface says.
 */
final class RedisSemaphore implements BoundedSemaphore, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final String INIT = """
            if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('HSET', KEYS[1], 'v', ARGV[1], 'max', ARGV[2]) end
            """;
    private static final String ACQUIRE = INIT + """
            if tonumber(redis.call('HGET', KEYS[1], 'v')) > 0 then redis.call('HINCRBY', KEYS[1], 'v', -1) return {1} end
            return {0}
            """;
    private static final String RELEASE = INIT + """
            local v = tonumber(redis.call('HGET', KEYS[1], 'v'))
            local m = tonumber(redis.call('HGET', KEYS[1], 'max'))
            if m >= 0 and v >= m then return {-1} end
            if v >= 2147483647 then return {-2} end
            redis.call('HINCRBY', KEYS[1], 'v', 1)
            redis.call('PUBLISH', KEYS[1] .. ':w', '1')
            return {1}
            """;
    private static final String VALUE = INIT + "return {tonumber(redis.call('HGET', KEYS[1], 'v'))}";

    private final transient Home home;
    private final transient String key;
    private final String name;
    private final int initial;
    private final boolean bounded;

    RedisSemaphore(Home home, String name, int initial, boolean bounded) {
        if (initial < 0) throw new IllegalArgumentException("semaphore initial value must be >= 0");
        this.home = home;
        this.name = name;
        this.key = Home.key(bounded ? "bsem" : "sem", name);
        this.initial = initial;
        this.bounded = bounded;
    }

    int initial() { return initial; }

    private Boolean attempt() {
        home.check();
        return Server.asLong(home.server().eval(ACQUIRE, List.of(key), initial, bounded ? initial : -1)) == 1 ? Boolean.TRUE : null;
    }

    private Signals.Signal signal() {
        return home.signal(key + ":w");
    }

    @Override
    public void acquire() throws InterruptedException {
        Waits.until(signal(), Long.MAX_VALUE, this::attempt);
    }

    @Override
    public boolean acquire(boolean block, Duration timeout) throws InterruptedException {
        return Waits.until(signal(), block ? Waits.nanos(timeout) : 0, this::attempt) != null;
    }

    @Override
    public boolean tryAcquire() {
        return attempt() != null;
    }

    @Override
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        if (timeout == null) throw new NullPointerException("timeout");
        return acquire(true, timeout);
    }

    @Override
    public void release() {
        home.check();
        long r = Server.asLong(home.server().eval(RELEASE, List.of(key), initial, bounded ? initial : -1));
        if (r == -1) throw new IllegalStateException("semaphore or lock released too many times");
        if (r == -2) throw new IllegalStateException("semaphore value would pass Integer.MAX_VALUE");
    }

    @Override
    public int getValue() {
        home.check();
        return (int) Server.asLong(home.server().eval(VALUE, List.of(key), initial, bounded ? initial : -1));
    }

    @Override
    public String toString() {
        return (bounded ? "DistributedBoundedSemaphore[" : "DistributedSemaphore[") + name + ", value=" + getValue() + "]";
    }

    @Serial
    private Object writeReplace() {
        return new Ref(home.address(), bounded ? "bsem" : "sem", name, new long[] {initial});
    }
}
