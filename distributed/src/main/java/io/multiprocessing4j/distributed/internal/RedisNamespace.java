package io.multiprocessing4j.distributed.internal;

import io.multiprocessing4j.managers.Namespace;

import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.StringJoiner;
import java.util.TreeMap;

/** A manager-style Namespace on the server: a hash from attribute name to encoded value; one script per call. */
final class RedisNamespace implements Namespace, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final String GET = "local v = redis.call('HGET', KEYS[1], ARGV[1]) if not v then return {0} end return {1, v}";
    private static final String SET = "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) return {1}";
    private static final String DELETE = "return {redis.call('HDEL', KEYS[1], ARGV[1])}";
    private static final String HAS = "return {redis.call('HEXISTS', KEYS[1], ARGV[1])}";
    private static final String ALL = "return redis.call('HGETALL', KEYS[1])";

    private final transient Container base;

    RedisNamespace(Home home, String name) {
        this.base = new Container(home, "namespace", name, Namespace.class);
    }

    private List<?> eval(String lua, Object... args) {
        return base.eval(lua, List.of(base.key), args);
    }

    @Override
    public Object get(String name) {
        List<?> r = eval(GET, name);
        if (!Container.found(r)) throw new NoSuchElementException("AttributeError: 'Namespace' object has no attribute '" + name + "'");
        return Container.decode(r.get(1));
    }

    @Override
    public void set(String name, Object value) {
        eval(SET, name, Container.encode(value));
    }

    @Override
    public void delete(String name) {
        if (Server.asLong(eval(DELETE, name).get(0)) == 0) throw new NoSuchElementException("AttributeError: " + name);
    }

    @Override
    public boolean has(String name) {
        return Server.asLong(eval(HAS, name).get(0)) == 1;
    }

    /** The attributes, sorted by name (the server's hash keeps no order). */
    @Override
    public Map<String, Object> snapshot() {
        List<?> r = eval(ALL);
        Map<String, Object> m = new TreeMap<>();
        for (int i = 0; i < r.size(); i += 2) m.put(new String((byte[]) r.get(i), StandardCharsets.UTF_8), Container.decode(r.get(i + 1)));
        return Collections.unmodifiableMap(m);
    }

    @Override
    public Object referentCopy() { return snapshot(); }

    /** Python's repr: {@code Namespace(a=1, b='x')}, sorted by name. */
    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", "Namespace(", ")");
        snapshot().forEach((k, v) -> j.add(k + "=" + (v instanceof String s ? "'" + s + "'" : String.valueOf(v))));
        return j.toString();
    }

    @Override public String typeid() { return base.typeid; }
    @Override public String address() { return base.home.address(); }
    @Override public List<String> exposed() { return base.exposed(); }
    @Override public void close() { base.close(); }
    @Override public boolean isClosed() { return base.isClosed(); }
    @Override public String repr() { return base.repr(); }

    @Serial
    private Object writeReplace() {
        return base.ref();
    }
}
