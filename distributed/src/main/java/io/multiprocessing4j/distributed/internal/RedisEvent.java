package io.multiprocessing4j.distributed.internal;

import io.multiprocessing4j.sync.Event;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/** Python's {@code Event} on the server: a key that exists while the flag is set; {@link #set()} publishes. */
final class RedisEvent implements Event, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final String SET = "redis.call('SET', KEYS[1], '1') redis.call('PUBLISH', KEYS[1] .. ':w', '1') return {1}";
    private static final String CLEAR = "redis.call('DEL', KEYS[1]) return {1}";
    private static final String IS_SET = "return {redis.call('EXISTS', KEYS[1])}";

    private final transient Home home;
    private final transient String key;
    private final String name;

    RedisEvent(Home home, String name) {
        this.home = home;
        this.name = name;
        this.key = Home.key("event", name);
    }

    private long call(String lua) {
        home.check();
        return Server.asLong(home.server().eval(lua, List.of(key)));
    }

    @Override
    public boolean isSet() {
        return call(IS_SET) == 1;
    }

    @Override
    public void set() {
        call(SET);
    }

    @Override
    public void clear() {
        call(CLEAR);
    }

    @Override
    public void await() throws InterruptedException {
        await(null);
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        return Waits.until(home.signal(key + ":w"), Waits.nanos(timeout), () -> isSet() ? Boolean.TRUE : null) != null;
    }

    @Override
    public String toString() {
        return "DistributedEvent[" + name + "]";
    }

    @Serial
    private Object writeReplace() {
        return new Ref(home.address(), "event", name, new long[0]);
    }
}
