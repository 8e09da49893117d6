package io.multiprocessing4j.distributed.internal;

import io.multiprocessing4j.managers.DictProxy;
import io.multiprocessing4j.managers.RemoteBiFunction;
import io.multiprocessing4j.managers.RemoteFunction;

import java.io.Serial;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A manager-style dict on the server: a hash from encoded key to encoded value, and a
 * sorted set that keeps insertion order (Python's dict order: replacing a value keeps the
 * key's place). Each method is one script, atomic for every process. Keys are equal when
 * their encodings are (true for strings, boxed primitives and arrays of them; a key encoded
 * by Java serialization must encode the same way every time).
 *
 * <p>Differences from a manager's dict, whose functions run on its server: here
 * {@code compute}, {@code merge} and kin run the function in the caller and store its result
 * only if the entry is still what the function saw (else they run it again), which is as
 * atomic; so any function is taken, serializable or not, and it may run more than once.
 */
final class RedisDict<K, V> extends AbstractMap<K, V> implements DictProxy<K, V> {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final String PUT = """
            local old = redis.call('HGET', KEYS[1], ARGV[1])
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            if not old then redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), ARGV[1]) return {0} end
            return {1, old}
            """;
    private static final String GET = """
            local v = redis.call('HGET', KEYS[1], ARGV[1]) if not v then return {0} end return {1, v}
            """;
    private static final String REMOVE = """
            local v = redis.call('HGET', KEYS[1], ARGV[1]) if not v then return {0} end
            if ARGV[2] and v ~= ARGV[2] then return {0} end
            redis.call('HDEL', KEYS[1], ARGV[1]) redis.call('ZREM', KEYS[2], ARGV[1]) return {1, v}
            """;
    private static final String PUT_IF_ABSENT = """
            local v = redis.call('HGET', KEYS[1], ARGV[1]) if v then return {1, v} end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), ARGV[1])
            return {0}
            """;
    private static final String REPLACE = """
            local v = redis.call('HGET', KEYS[1], ARGV[1]) if not v then return {0} end
            if ARGV[3] and v ~= ARGV[3] then return {0} end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) return {1, v}
            """;
    private static final String SNAPSHOT = """
            local out = {}
            for _, k in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
              out[#out + 1] = k out[#out + 1] = redis.call('HGET', KEYS[1], k)
            end
            return out
            """;
    private static final String POP_LAST = """
            local k = redis.call('ZRANGE', KEYS[2], -1, -1)[1] if not k then return {0} end
            local v = redis.call('HGET', KEYS[1], k)
            redis.call('HDEL', KEYS[1], k) redis.call('ZREM', KEYS[2], k) return {1, k, v}
            """;
    private static final String SIZE = "return {redis.call('HLEN', KEYS[1])}";
    private static final String CONTAINS = "return {redis.call('HEXISTS', KEYS[1], ARGV[1])}";
    private static final String CLEAR = "redis.call('DEL', KEYS[1], KEYS[2], KEYS[3]) return {1}";

    private final transient Container base;
    private final transient List<String> keys;

    RedisDict(Home home, String name) {
        this.base = new Container(home, "dict", name, DictProxy.class);
        this.keys = List.of(base.key, base.key + ":order", base.key + ":seq");
    }

    private List<?> eval(String lua, Object... args) {
        return base.eval(lua, keys, args);
    }

    @Override
    public V get(Object key) {
        List<?> r = eval(GET, Container.encode(key));
        return Container.found(r) ? Container.decode(r.get(1)) : null;
    }

    @Override
    public V getItem(Object key) {
        List<?> r = eval(GET, Container.encode(key));
        if (!Container.found(r)) throw new NoSuchElementException("KeyError: " + key);
        return Container.decode(r.get(1));
    }

    @Override
    public V put(K key, V value) {
        List<?> r = eval(PUT, Container.encode(key), Container.encode(value));
        return Container.found(r) ? Container.decode(r.get(1)) : null;
    }

    @Override
    public V remove(Object key) {
        List<?> r = eval(REMOVE, Container.encode(key));
        return Container.found(r) ? Container.decode(r.get(1)) : null;
    }

    @Override
    public boolean remove(Object key, Object value) {
        return Container.found(eval(REMOVE, Container.encode(key), Container.encode(value)));
    }

    @Override
    public V pop(Object key) {
        List<?> r = eval(REMOVE, Container.encode(key));
        if (!Container.found(r)) throw new NoSuchElementException("KeyError: " + key);
        return Container.decode(r.get(1));
    }

    @Override
    public V pop(Object key, V defaultValue) {
        List<?> r = eval(REMOVE, Container.encode(key));
        return Container.found(r) ? Container.decode(r.get(1)) : defaultValue;
    }

    @Override
    public Map.Entry<K, V> popItem() {
        List<?> r = eval(POP_LAST);
        if (!Container.found(r)) throw new NoSuchElementException("KeyError: popitem(): dictionary is empty");
        return new SimpleImmutableEntry<>(Container.decode(r.get(1)), Container.decode(r.get(2)));
    }

    @Override
    public V putIfAbsent(K key, V value) {
        List<?> r = eval(PUT_IF_ABSENT, Container.encode(key), Container.encode(value));
        return Container.found(r) ? Container.decode(r.get(1)) : null;
    }

    @Override
    public V setDefault(K key, V defaultValue) {
        List<?> r = eval(PUT_IF_ABSENT, Container.encode(key), Container.encode(defaultValue));
        return Container.found(r) ? Container.decode(r.get(1)) : defaultValue;
    }

    @Override
    public V replace(K key, V value) {
        List<?> r = eval(REPLACE, Container.encode(key), Container.encode(value));
        return Container.found(r) ? Container.decode(r.get(1)) : null;
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        return Container.found(eval(REPLACE, Container.encode(key), Container.encode(newValue), Container.encode(oldValue)));
    }

    @Override
    public boolean containsKey(Object key) {
        return Server.asLong(eval(CONTAINS, Container.encode(key)).get(0)) == 1;
    }

    @Override
    public int size() {
        return (int) Server.asLong(eval(SIZE).get(0));
    }

    @Override
    public void clear() {
        eval(CLEAR);
    }

    @Override
    public void update(Map<? extends K, ? extends V> m) {
        putAll(m);
    }

    @Override
    public Map<K, V> snapshot() {
        List<?> r = eval(SNAPSHOT);
        Map<K, V> m = new LinkedHashMap<>();
        for (int i = 0; i < r.size(); i += 2) m.put(Container.decode(r.get(i)), Container.decode(r.get(i + 1)));
        return Collections.unmodifiableMap(m);
    }

    @Override
    public Object referentCopy() {
        return snapshot();
    }

    /** A snapshot's entries; {@code size} and {@code contains} ask the server, removing removes there. */
    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<K, V>> iterator() {
                Iterator<Map.Entry<K, V>> it = new ArrayList<>(snapshot().entrySet()).iterator();
                return new Iterator<>() {
                    private Map.Entry<K, V> last;

                    @Override public boolean hasNext() { return it.hasNext(); }

                    @Override
                    public Map.Entry<K, V> next() {
                        last = it.next();
                        return new SimpleImmutableEntry<>(last);
                    }

                    @Override
                    public void remove() {
                        if (last == null) throw new IllegalStateException();
                        RedisDict.this.remove(last.getKey());
                        last = null;
                    }
                };
            }

            @Override public int size() { return RedisDict.this.size(); }

            @Override
            public boolean contains(Object o) {
                if (!(o instanceof Map.Entry<?, ?> e)) return false;
                List<?> r = eval(GET, Container.encode(e.getKey()));
                return Container.found(r) && java.util.Objects.equals(Container.decode(r.get(1)), e.getValue());
            }

            @Override
            public boolean remove(Object o) {
                return o instanceof Map.Entry<?, ?> e && RedisDict.this.remove(e.getKey(), e.getValue());
            }
        };
    }

    @Override
    public V compute(K key, RemoteBiFunction<? super K, ? super V, ? extends V> f) {
        return compute(key, (BiFunction<? super K, ? super V, ? extends V>) f);
    }

    @Override
    public V computeIfAbsent(K key, RemoteFunction<? super K, ? extends V> f) {
        return computeIfAbsent(key, (Function<? super K, ? extends V>) f);
    }

    @Override
    public V computeIfPresent(K key, RemoteBiFunction<? super K, ? super V, ? extends V> f) {
        return computeIfPresent(key, (BiFunction<? super K, ? super V, ? extends V>) f);
    }

    @Override
    public V merge(K key, V value, RemoteBiFunction<? super V, ? super V, ? extends V> f) {
        return merge(key, value, (BiFunction<? super V, ? super V, ? extends V>) f);
    }

    @Override
    public void replaceAll(RemoteBiFunction<? super K, ? super V, ? extends V> f) {
        replaceAll((BiFunction<? super K, ? super V, ? extends V>) f);
    }

    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> f) {
        return DictProxy.super.compute(key, f);
    }

    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> f) {
        return DictProxy.super.computeIfAbsent(key, f);
    }

    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> f) {
        return DictProxy.super.computeIfPresent(key, f);
    }

    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> f) {
        return DictProxy.super.merge(key, value, f);
    }

    @Override
    public void replaceAll(BiFunction<? super K, ? super V, ? extends V> f) {
        DictProxy.super.replaceAll(f);
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
