package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.managers.RemoteFunction;
import io.multiprocessing4j.managers.RemoteBiFunction;
import io.multiprocessing4j.managers.DictProxy;
import io.multiprocessing4j.managers.BaseProxy;
import java.io.Serial;
import java.io.Serializable;
import java.util.AbstractCollection;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/** A {@link DictProxy}: each method one call; views and iteration over one snapshot. */
@SuppressWarnings("unchecked")
public final class ManagedDict<K, V> extends ManagedObject implements DictProxy<K, V> {
    @Serial private static final long serialVersionUID = 1L;

    ManagedDict(Token token, Session session) { super(token, session); }

    @Override public int size() { return (Integer) invoke("size"); }
    @Override public boolean isEmpty() { return (Boolean) invoke("isEmpty"); }
    @Override public boolean containsKey(Object key) { return (Boolean) invoke("containsKey", key); }
    @Override public boolean containsValue(Object value) { return (Boolean) invoke("containsValue", value); }
    @Override public V get(Object key) { return (V) invoke("get", key); }

    /**
     * Python's {@code d[key]}: the value, or {@link NoSuchElementException} ("KeyError: key")
     * when the key is missing; a null value is returned as null.
     */
    public V getItem(Object key) { return (V) invoke("getItem", key); }

    @Override public V getOrDefault(Object key, V defaultValue) { return (V) invoke("getOrDefault", key, defaultValue); }
    @Override public V put(K key, V value) { return (V) invoke("put", key, value); }
    @Override public void putAll(Map<? extends K, ? extends V> m) { invoke("putAll", new java.util.LinkedHashMap<>(m)); }
    @Override public V remove(Object key) { return (V) invoke("remove", key); }
    @Override public void clear() { invoke("clear"); }
    @Override public V putIfAbsent(K key, V value) { return (V) invoke("putIfAbsent", key, value); }
    @Override public boolean remove(Object key, Object value) { return (Boolean) invoke("removeIfEquals", key, value); }
    @Override public boolean replace(K key, V oldValue, V newValue) { return (Boolean) invoke("replaceIfEquals", key, oldValue, newValue); }
    @Override public V replace(K key, V value) { return (V) invoke("replace", key, value); }

    /** Python's {@code d.pop(key)}: removes and returns the value; {@link NoSuchElementException} when missing. */
    public V pop(Object key) { return (V) invoke("pop", key); }

    /** Python's {@code d.pop(key, default)}. */
    public V pop(Object key, V defaultValue) { return (V) invoke("pop", key, defaultValue); }

    /** Python's {@code d.popitem()}: removes and returns the last inserted entry; {@link NoSuchElementException} when empty. */
    public Map.Entry<K, V> popItem() { return (Map.Entry<K, V>) invoke("popItem"); }

    /** Python's {@code d.setdefault(key, default)}: the value, after inserting {@code defaultValue} when the key was missing. */
    public V setDefault(K key, V defaultValue) { return (V) invoke("setDefault", key, defaultValue); }

    /** Python's {@code d.update(m)}: {@link #putAll}. */
    public void update(Map<? extends K, ? extends V> m) { putAll(m); }

    /** A copy of the whole dict, in insertion order, in one call. */
    public Map<K, V> snapshot() { return (Map<K, V>) invoke("snapshot"); }

    // --- run on the server, in one step

    public V compute(K key, RemoteBiFunction<? super K, ? super V, ? extends V> f) { return (V) invoke("compute", key, f); }
    public V computeIfAbsent(K key, RemoteFunction<? super K, ? extends V> f) { return (V) invoke("computeIfAbsent", key, f); }
    public V computeIfPresent(K key, RemoteBiFunction<? super K, ? super V, ? extends V> f) { return (V) invoke("computeIfPresent", key, f); }
    public V merge(K key, V value, RemoteBiFunction<? super V, ? super V, ? extends V> f) { return (V) invoke("merge", key, value, f); }
    public void replaceAll(RemoteBiFunction<? super K, ? super V, ? extends V> f) { invoke("replaceAll", f); }

    /** As {@link #compute(Object, RemoteBiFunction)}; {@code f} must be serializable. */
    @Override public V compute(K key, BiFunction<? super K, ? super V, ? extends V> f) { return (V) invoke("compute", key, remote(f)); }
    /** As {@link #computeIfAbsent(Object, RemoteFunction)}; {@code f} must be serializable. */
    @Override public V computeIfAbsent(K key, Function<? super K, ? extends V> f) { return (V) invoke("computeIfAbsent", key, remote(f)); }
    /** As {@link #computeIfPresent(Object, RemoteBiFunction)}; {@code f} must be serializable. */
    @Override public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> f) { return (V) invoke("computeIfPresent", key, remote(f)); }
    /** As {@link #merge(Object, Object, RemoteBiFunction)}; {@code f} must be serializable. */
    @Override public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> f) { return (V) invoke("merge", key, value, remote(f)); }
    /** As {@link #replaceAll(RemoteBiFunction)}; {@code f} must be serializable. */
    @Override public void replaceAll(BiFunction<? super K, ? super V, ? extends V> f) { invoke("replaceAll", remote(f)); }

    private static Object remote(Object f) {
        Objects.requireNonNull(f, "function");
        if (!(f instanceof Serializable)) {
            throw new IllegalArgumentException(f.getClass().getName() + " is not serializable and cannot run on the manager's server: "
                    + "write the lambda as the argument (it then is a RemoteFunction/RemoteBiFunction) or cast it to (BiFunction<...> & Serializable)");
        }
        return f;
    }

    // --- snapshots

    @Override
    public void forEach(BiConsumer<? super K, ? super V> action) { snapshot().forEach(action); }

    @Override
    public Set<K> keySet() {
        return new AbstractSet<>() {
            @Override public int size() { return ManagedDict.this.size(); }
            @Override public boolean contains(Object o) { return containsKey(o); }
            @Override public boolean remove(Object o) { return (Boolean) invoke("removeKey", o); }
            @Override public void clear() { ManagedDict.this.clear(); }
            @Override public Iterator<K> iterator() { return removing(snapshot().keySet().iterator(), k -> k); }
        };
    }

    @Override
    public Collection<V> values() {
        return new AbstractCollection<>() {
            @Override public int size() { return ManagedDict.this.size(); }
            @Override public boolean contains(Object o) { return containsValue(o); }
            @Override public void clear() { ManagedDict.this.clear(); }
            @Override public Iterator<V> iterator() { return removing(snapshot().entrySet().iterator(), Map.Entry::getKey).<V>map(); }
        };
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return new AbstractSet<>() {
            @Override public int size() { return ManagedDict.this.size(); }
            @Override public void clear() { ManagedDict.this.clear(); }
            @Override public Iterator<Map.Entry<K, V>> iterator() { return removing(snapshot().entrySet().iterator(), Map.Entry::getKey); }
        };
    }

    /** An iterator over a snapshot whose {@code remove} removes the current key on the server. */
    private <T> RemovingIterator<T> removing(Iterator<T> it, Function<T, Object> keyOf) { return new RemovingIterator<>(it, keyOf); }

    private final class RemovingIterator<T> implements Iterator<T> {
        private final Iterator<T> it;
        private final Function<T, Object> keyOf;
        private T last;
        private boolean canRemove;

        RemovingIterator(Iterator<T> it, Function<T, Object> keyOf) {
            this.it = it;
            this.keyOf = keyOf;
        }

        @Override public boolean hasNext() { return it.hasNext(); }

        @Override
        public T next() {
            last = it.next();
            canRemove = true;
            return last;
        }

        @Override
        public void remove() {
            if (!canRemove) throw new IllegalStateException();
            canRemove = false;
            ManagedDict.this.remove(keyOf.apply(last));
        }

        /** This iterator over entries as one over their values. */
        <W> Iterator<W> map() {
            return new Iterator<>() {
                @Override public boolean hasNext() { return RemovingIterator.this.hasNext(); }
                @Override public W next() { return ((Map.Entry<?, W>) RemovingIterator.this.next()).getValue(); }
                @Override public void remove() { RemovingIterator.this.remove(); }
            };
        }
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) return true;
        return o instanceof Map<?, ?> m && snapshot().equals(m instanceof DictProxy<?, ?> d ? d.snapshot() : m);
    }

    @Override
    public int hashCode() { return snapshot().hashCode(); }

    @Override
    public String toString() { return snapshot().toString(); }
}
