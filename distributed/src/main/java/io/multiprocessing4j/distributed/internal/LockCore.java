package io.multiprocessing4j.distributed.internal;

import java.util.List;

/**
 * The server side of a lock: one key holding the holder's token ({@code <context id>:<thread
 * id>}), absent when free. Taking it also takes it over from a holder whose context's
 * liveness key is gone, and says so. Every release publishes on {@code <key>:w}.
 */
final class LockCore {
    static final long FREE_TAKEN = 1, TAKEN_OVER = 2, BUSY = 0;

    private static final String TAKE = """
            local mine = ARGV[2] .. string.match(ARGV[1], '^[^:]*')
            if redis.call('EXISTS', mine) == 0 then redis.call('SET', mine, '1', 'PX', ARGV[3]) end
            local o = redis.call('GET', KEYS[1])
            if not o then redis.call('SET', KEYS[1], ARGV[1]) return {1} end
            if redis.call('EXISTS', ARGV[2] .. string.match(o, '^[^:]*')) == 0 then
              redis.call('SET', KEYS[1], ARGV[1]) return {2}
            end
            return {0}
            """;
    private static final String RELEASE_ANY = """
            if redis.call('DEL', KEYS[1]) == 0 then return {0} end
            redis.call('PUBLISH', KEYS[1] .. ':w', '1') return {1}
            """;
    private static final String RELEASE_MINE = """
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {0} end
            redis.call('DEL', KEYS[1]) redis.call('PUBLISH', KEYS[1] .. ':w', '1') return {1}
            """;
    private static final String HOLDER = "local o = redis.call('GET', KEYS[1]) if not o then return {''} end return {o}";

    final Home home;
    final String key;

    LockCore(Home home, String key) {
        this.home = home;
        this.key = key;
    }

    Signals.Signal signal() {
        return home.signal(key + ":w");
    }

    /** {@link #FREE_TAKEN}, {@link #TAKEN_OVER} or {@link #BUSY}. */
    long take(String token) {
        home.check();
        return Server.asLong(home.server().eval(TAKE, List.of(key), token, Home.ALIVE, home.leaseMillis()));
    }

    /** Frees the lock whoever holds it; false if it was free. */
    boolean releaseAny() {
        home.check();
        return Server.asLong(home.server().eval(RELEASE_ANY, List.of(key))) == 1;
    }

    /** Frees the lock if {@code token} holds it; false otherwise. */
    boolean releaseIf(String token) {
        home.check();
        return Server.asLong(home.server().eval(RELEASE_MINE, List.of(key), token)) == 1;
    }

    /** The holder's token, "" when free. */
    String holder() {
        home.check();
        Object r = home.server().eval(HOLDER, List.of(key));
        return new String((byte[]) ((List<?>) r).get(0), java.nio.charset.StandardCharsets.UTF_8);
    }
}
