package io.multiprocessing4j.managers;

import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentMap;

/**
 * A managed dict: Python's {@code DictProxy}, as a {@link ConcurrentMap} that keeps
 * insertion order as Python's dict does. Each method is one call to the server, run there
 * in one step under the dict's lock: {@code putIfAbsent}, {@code replace}, {@code compute},
 * {@code computeIfAbsent}, {@code computeIfPresent} and {@code merge} are atomic for every
 * process, so a counter ({@code merge(k, 1, Integer::sum)}) is right without a lock. Their
 * functions run on the server, so they must be serializable: a lambda written as the
 * argument is (the {@link RemoteFunction}/{@link RemoteBiFunction} overloads take it); the
 * {@code java.util.function} overloads refuse one that is not with
 * {@link IllegalArgumentException}.
 *
 * <p>Iteration, {@code keySet()}, {@code values()}, {@code entrySet()}, {@code forEach},
 * {@code equals}, {@code hashCode} and {@code toString} fetch one snapshot; the views'
 * {@code size} and {@code contains} ask the server, and removing through them removes on
 * the server. Values read are copies (see {@link BaseProxy}). Python's {@code d[k]}, which
 * raises {@code KeyError}, is {@link #getItem}. Null keys and values are allowed, as in a
 * {@code LinkedHashMap} (so {@code get} cannot tell a null value from a missing key).
 */
public interface DictProxy<K, V> extends BaseProxy, ConcurrentMap<K, V> {

    /**
     * Python's {@code d[key]}: the value, or {@link NoSuchElementException} ("KeyError: key")
     * when the key is missing; a null value is returned as null.
     */
    V getItem(Object key);

    /** Python's {@code d.pop(key)}: removes and returns the value; {@link NoSuchElementException} when missing. */
    V pop(Object key);

    /** Python's {@code d.pop(key, default)}. */
    V pop(Object key, V defaultValue);

    /** Python's {@code d.popitem()}: removes and returns the last inserted entry; {@link NoSuchElementException} when empty. */
    Map.Entry<K, V> popItem();

    /** Python's {@code d.setdefault(key, default)}: the value, after inserting {@code defaultValue} when the key was missing. */
    V setDefault(K key, V defaultValue);

    /** Python's {@code d.update(m)}: {@link #putAll}. */
    void update(Map<? extends K, ? extends V> m);

    /** A copy of the whole dict, in insertion order, in one call (read-only). */
    Map<K, V> snapshot();

    /** {@link #compute(Object, java.util.function.BiFunction)}, run on the server in one step. */
    V compute(K key, RemoteBiFunction<? super K, ? super V, ? extends V> f);

    /** {@link #computeIfAbsent(Object, java.util.function.Function)}, run on the server in one step. */
    V computeIfAbsent(K key, RemoteFunction<? super K, ? extends V> f);

    /** {@link #computeIfPresent(Object, java.util.function.BiFunction)}, run on the server in one step. */
    V computeIfPresent(K key, RemoteBiFunction<? super K, ? super V, ? extends V> f);

    /** {@link #merge(Object, Object, java.util.function.BiFunction)}, run on the server in one step. */
    V merge(K key, V value, RemoteBiFunction<? super V, ? super V, ? extends V> f);

    /** {@link #replaceAll(java.util.function.BiFunction)}, run on the server in one step. */
    void replaceAll(RemoteBiFunction<? super K, ? super V, ? extends V> f);
}
