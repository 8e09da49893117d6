package io.multiprocessing4j.managers;

import io.multiprocessing4j.function.SerializableRunnable;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code SyncManager}, what {@code multiprocessing.Manager()} returns: a
 * {@link BaseManager} with the shared containers and synchronization primitives registered.
 * Get a started one from {@code ctx.manager()} or {@code Multiprocessing.manager()}; close
 * it (try-with-resources) to stop its server. Each factory makes a new object on the server
 * and returns its proxy.
 *
 * <pre>{@code
 * try (SyncManager m = ctx.manager()) {
 *     DictProxy<String, Integer> d = m.dict();
 *     ListProxy<Integer> l = m.list(List.of(0, 1, 2));
 *     ctx.process((a, b) -> { ... }, d, l).start();   // the child gets proxies to the same objects
 * }
 * }</pre>
 */
public interface SyncManager extends BaseManager {

    @Override SyncManager register(String typeid);

    @Override SyncManager register(String typeid, ManagedFactory factory);

    @Override SyncManager register(String typeid, ManagedFactory factory, List<String> exposed,
                                   Map<String, String> methodToTypeid, boolean createMethod);

    @Override SyncManager register(String typeid, ManagedFactory factory, Class<? extends BaseProxy> proxyType);

    @Override SyncManager start() throws IOException;

    @Override SyncManager start(SerializableRunnable initializer) throws IOException;

    @Override SyncManager connect() throws IOException;

    /** Python's {@code manager.dict()}: a new empty managed dict. */
    <K, V> DictProxy<K, V> dict();

    /** Python's {@code manager.dict(m)}: a new managed dict holding {@code m}'s entries, in its order. */
    <K, V> DictProxy<K, V> dict(Map<? extends K, ? extends V> m);

    /** Python's {@code manager.list()}: a new empty managed list. */
    <E> ListProxy<E> list();

    /** Python's {@code manager.list(seq)}: a new managed list holding {@code items}. */
    <E> ListProxy<E> list(Collection<? extends E> items);

    /** Python's {@code manager.set()} (3.14): a new empty managed set. */
    <E> SetProxy<E> set();

    /** Python's {@code manager.set(seq)}: a new managed set holding {@code items}. */
    <E> SetProxy<E> set(Collection<? extends E> items);

    /** Python's {@code manager.Namespace()}. */
    Namespace namespace();

    /** Python's {@code manager.Namespace(**attributes)}. */
    Namespace namespace(Map<String, ?> attributes);

    /** Python's {@code manager.Value(code, value)}: a value held by the server, converted to type code {@code code}. */
    <T> ValueProxy<T> value(char code, T value);

    /**
     * Python's {@code manager.Array(code, seq)}: an array held by the server, from a
     * collection, a primitive array, or a size (an {@code Integer}: that many zeros).
     */
    ArrayProxy array(char code, Object sequenceOrSize);
}
