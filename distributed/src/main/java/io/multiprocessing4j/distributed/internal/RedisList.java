package io.multiprocessing4j.distributed.internal;

import io.multiprocessing4j.managers.ListProxy;

import java.io.Serial;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A manager-style list on the server: a Redis list of encoded elements and a version counter
 * that every change increments. Each method is one script, atomic for every process.
 * {@code sort}, {@code removeIf} and {@code replaceAll} read the list with its version, run
 * the function in the caller, and write the result back only if the version is unchanged
 * (else they start again), which is as atomic as a manager's, whose functions run on its
 * server; so any function is taken, and it may run more than once. Iteration and the
 * other whole-list reads work on one snapshot, as {@link ListProxy} says.
 */
final class RedisList<E> extends AbstractList<E> implements ListProxy<E> {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Never an encoding (those start with a tag below 100): marks an element for removal by index. */
    private static final String GONE = "\u00ff\u00fe:removed";

    private static final String BOUNDS = """
            local n = redis.call('LLEN', KEYS[1])
            local i = tonumber(ARGV[1])
            if ARGV[2] == 'py' and i < 0 then i = n + i end
            """;
    private static final String GET = BOUNDS + "if i < 0 or i >= n then return {0, n} end return {1, redis.call('LINDEX', KEYS[1], i)}";
    private static final String SET = BOUNDS + """
            if i < 0 or i >= n then return {0, n} end
            local old = redis.call('LINDEX', KEYS[1], i)
            redis.call('LSET', KEYS[1], i, ARGV[3]) redis.call('INCR', KEYS[2]) return {1, old}
            """;
    private static final String REMOVE_AT = BOUNDS + """
            if i < 0 or i >= n then return {0, n} end
            local old = redis.call('LINDEX', KEYS[1], i)
            redis.call('LSET', KEYS[1], i, ARGV[3]) redis.call('LREM', KEYS[1], 1, ARGV[3])
            redis.call('INCR', KEYS[2]) return {1, old}
            """;
    private static final String INSERT = BOUNDS + """
            if i < 0 or i > n then return {0, n} end
            if i == n then redis.call('RPUSH', KEYS[1], ARGV[3])
            elseif i == 0 then redis.call('LPUSH', KEYS[1], ARGV[3])
            else
              local rest = redis.call('LRANGE', KEYS[1], i, -1)
              redis.call('LTRIM', KEYS[1], 0, i - 1)
              redis.call('RPUSH', KEYS[1], ARGV[3])
              for _, v in ipairs(rest) do redis.call('RPUSH', KEYS[1], v) end
            end
            redis.call('INCR', KEYS[2]) return {1}
            """;
    private static final String APPEND = """
            for i = 1, #ARGV do redis.call('RPUSH', KEYS[1], ARGV[i]) end
            redis.call('INCR', KEYS[2]) return {1}
            """;
    private static final String REMOVE = """
            local r = redis.call('LREM', KEYS[1], 1, ARGV[1])
            if r > 0 then redis.call('INCR', KEYS[2]) end return {r}
            """;
    private static final String CLEAR = "redis.call('DEL', KEYS[1]) redis.call('INCR', KEYS[2]) return {1}";
    private static final String SIZE = "return {redis.call('LLEN', KEYS[1])}";
    private static final String REVERSE = """
            local items = redis.call('LRANGE', KEYS[1], 0, -1)
            redis.call('DEL', KEYS[1])
            for i = #items, 1, -1 do redis.call('RPUSH', KEYS[1], items[i]) end
            redis.call('INCR', KEYS[2]) return {1}
            """;
    /** {version, element...}. */
    private static final String SNAPSHOT = """
            local out = {tonumber(redis.call('GET', KEYS[2]) or '0')}
            for _, v in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do out[#out + 1] = v end
            return out
            """;
    private static final String REPLACE_ALL_IF = """
            if tonumber(redis.call('GET', KEYS[2]) or '0') ~= tonumber(ARGV[1]) then return {0} end
            redis.call('DEL', KEYS[1])
            for i = 2, #ARGV do redis.call('RPUSH', KEYS[1], ARGV[i]) end
            redis.call('INCR', KEYS[2]) return {1}
            """;

    private final transient Container base;
    private final transient List<String> keys;

    RedisList(Home home, String name) {
        this.base = new Container(home, "list", name, ListProxy.class);
        this.keys = List.of(base.key, base.key + ":version");
    }

    private List<?> eval(String lua, Object... args) {
        return base.eval(lua, keys, args);
    }

    private static IndexOutOfBoundsException outOfBounds(int index, List<?> r) {
        return new IndexOutOfBoundsException("Index " + index + " out of bounds for length " + Server.asLong(r.get(1)));
    }

    @Override
    public E get(int index) {
        List<?> r = eval(GET, index, "java");
        if (!Container.found(r)) throw outOfBounds(index, r);
        return Container.decode(r.get(1));
    }

    @Override
    public E set(int index, E element) {
        List<?> r = eval(SET, index, "java", Container.encode(element));
        if (!Container.found(r)) throw outOfBounds(index, r);
        return Container.decode(r.get(1));
    }

    @Override
    public void add(int index, E element) {
        List<?> r = eval(INSERT, index, "java", Container.encode(element));
        if (!Container.found(r)) throw outOfBounds(index, r);
    }

    @Override
    public boolean add(E e) {
        eval(APPEND, (Object) Container.encode(e));
        return true;
    }

    @Override
    public E remove(int index) {
        List<?> r = eval(REMOVE_AT, index, "java", GONE);
        if (!Container.found(r)) throw outOfBounds(index, r);
        return Container.decode(r.get(1));
    }

    @Override
    public boolean remove(Object o) {
        return Server.asLong(eval(REMOVE, (Object) Container.encode(o)).get(0)) > 0;
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
    public boolean addAll(Collection<? extends E> c) {
        if (c.isEmpty()) return false;
        extend(c);
        return true;
    }

    @Override
    public void extend(Collection<? extends E> items) {
        if (items.isEmpty()) return;
        Object[] enc = new Object[items.size()];
        int i = 0;
        for (E e : items) enc[i++] = Container.encode(e);
        eval(APPEND, enc);
    }

    @Override
    public void reverse() {
        eval(REVERSE);
    }

    @Override
    public E pop() {
        return pop(-1);
    }

    @Override
    public E pop(int index) {
        List<?> r = eval(REMOVE_AT, index, "py", GONE);
        if (!Container.found(r)) throw new IndexOutOfBoundsException(Server.asLong(r.get(1)) == 0 ? "pop from empty list" : "pop index out of range");
        return Container.decode(r.get(1));
    }

    @Override
    public int count(Object x) {
        int n = 0;
        for (E e : snapshot()) if (Objects.equals(e, x)) n++;
        return n;
    }

    /** The elements and the version they were read at. */
    private List<E> read(long[] version) {
        List<?> r = eval(SNAPSHOT);
        version[0] = Server.asLong(r.get(0));
        List<E> l = new ArrayList<>(r.size() - 1);
        for (int i = 1; i < r.size(); i++) l.add(Container.decode(r.get(i)));
        return l;
    }

    @Override
    public List<E> snapshot() {
        return Collections.unmodifiableList(read(new long[1]));
    }

    /** Applies {@code change} to a copy and stores it if nobody changed the list meanwhile; else again. Whether it changed anything. */
    private boolean rewrite(java.util.function.Predicate<List<E>> change) {
        while (true) {
            long[] version = new long[1];
            List<E> l = read(version);
            if (!change.test(l)) return false;
            Object[] args = new Object[l.size() + 1];
            args[0] = version[0];
            for (int i = 0; i < l.size(); i++) args[i + 1] = Container.encode(l.get(i));
            if (Container.found(eval(REPLACE_ALL_IF, args))) return true;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void sort() {
        sort(null);
    }

    @Override
    public void sort(Comparator<? super E> c) {
        rewrite(l -> {
            l.sort(c);
            return true;
        });
    }

    @Override
    public boolean removeIf(Predicate<? super E> filter) {
        return rewrite(l -> l.removeIf(filter));
    }

    @Override
    public void replaceAll(UnaryOperator<E> operator) {
        rewrite(l -> {
            l.replaceAll(operator);
            return true;
        });
    }

    @Override public Iterator<E> iterator() { return snapshot().iterator(); }
    @Override public ListIterator<E> listIterator() { return snapshot().listIterator(); }
    @Override public ListIterator<E> listIterator(int index) { return snapshot().listIterator(index); }
    @Override public List<E> subList(int from, int to) { return List.copyOf(snapshot()).subList(from, to); }
    @Override public boolean contains(Object o) { return snapshot().contains(o); }
    @Override public int indexOf(Object o) { return snapshot().indexOf(o); }
    @Override public int lastIndexOf(Object o) { return snapshot().lastIndexOf(o); }
    @Override public boolean containsAll(Collection<?> c) { return snapshot().containsAll(c); }
    @Override public Object[] toArray() { return snapshot().toArray(); }
    @Override public <T> T[] toArray(T[] a) { return snapshot().toArray(a); }
    @Override public boolean equals(Object o) { return o == this || snapshot().equals(o); }
    @Override public int hashCode() { return snapshot().hashCode(); }
    @Override public String toString() { return snapshot().toString(); }

    @Override public Object referentCopy() { return snapshot(); }
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
