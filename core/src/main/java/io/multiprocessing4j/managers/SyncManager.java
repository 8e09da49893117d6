package io.multiprocessing4j.managers;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.serial.Codec;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code SyncManager}, what {@code multiprocessing.Manager()} returns: a
 * {@link BaseManager} with the shared containers registered. Get a started one from
 * {@code ctx.manager()} or {@code Multiprocessing.manager()}; close it (try-with-resources)
 * to stop its server.
 *
 * <pre>{@code
 * try (SyncManager m = ctx.manager()) {
 *     DictProxy<String, Integer> d = m.dict();
 *     ListProxy<Integer> l = m.list(List.of(0, 1, 2));
 *     ctx.process((a, b) -> { ... }, d, l).start();   // the child gets proxies to the same objects
 * }
 * }</pre>
 */
public class SyncManager extends BaseManager {

    /** A manager (not started) on a fresh Unix socket with the default context and this process's authkey. */
    public SyncManager() { this(null, null, null, null); }

    /** A manager (not started) at {@code address} with {@code authkey}; see {@link BaseManager#BaseManager(SocketAddress, byte[])}. */
    public SyncManager(SocketAddress address, byte[] authkey) { this(null, address, authkey, null); }

    /** See {@link BaseManager#BaseManager(Context, SocketAddress, byte[], Codec)}. */
    public SyncManager(Context ctx, SocketAddress address, byte[] authkey, Codec codec) {
        super(ctx, address, authkey, codec);
        registerBuiltin("dict", "dict", Builtins::newDict);
        registerBuiltin("list", "list", Builtins::newList);
        registerBuiltin("set", "set", Builtins::newSet);
        registerBuiltin("Namespace", "namespace", SmallBuiltins::newNamespace);
        registerBuiltin("Value", "value", SmallBuiltins::newValue);
        registerBuiltin("Array", "array", SmallBuiltins::newArray);
    }

    /** Starts a manager's server with {@code ctx}'s start method and returns the manager: {@code ctx.manager()}. */
    public static SyncManager start(Context ctx) throws IOException {
        SyncManager m = new SyncManager(ctx, null, null, null);
        m.start();
        return m;
    }

    @Override
    public SyncManager start() throws IOException {
        super.start();
        return this;
    }

    /** Python's {@code manager.dict()}: a new empty managed dict. */
    @SuppressWarnings("unchecked")
    public <K, V> DictProxy<K, V> dict() { return (DictProxy<K, V>) create("dict"); }

    /** Python's {@code manager.dict(m)}: a new managed dict holding {@code m}'s entries, in its order. */
    @SuppressWarnings("unchecked")
    public <K, V> DictProxy<K, V> dict(Map<? extends K, ? extends V> m) { return (DictProxy<K, V>) create("dict", new java.util.LinkedHashMap<>(m)); }

    /** Python's {@code manager.list()}: a new empty managed list. */
    @SuppressWarnings("unchecked")
    public <E> ListProxy<E> list() { return (ListProxy<E>) create("list"); }

    /** Python's {@code manager.list(seq)}: a new managed list holding {@code items}. */
    @SuppressWarnings("unchecked")
    public <E> ListProxy<E> list(Collection<? extends E> items) { return (ListProxy<E>) create("list", new java.util.ArrayList<>(items)); }

    /** Python's {@code manager.set()} (3.14): a new empty managed set. */
    @SuppressWarnings("unchecked")
    public <E> SetProxy<E> set() { return (SetProxy<E>) create("set"); }

    /** Python's {@code manager.set(seq)}: a new managed set holding {@code items}. */
    @SuppressWarnings("unchecked")
    public <E> SetProxy<E> set(Collection<? extends E> items) { return (SetProxy<E>) create("set", new java.util.ArrayList<>(items)); }

    /** Python's {@code manager.Namespace()}. */
    public NamespaceProxy namespace() { return (NamespaceProxy) create("Namespace"); }

    /** Python's {@code manager.Namespace(**attributes)}. */
    public NamespaceProxy namespace(Map<String, ?> attributes) { return (NamespaceProxy) create("Namespace", new java.util.LinkedHashMap<>(attributes)); }

    /** Python's {@code manager.Value(code, value)}: a value held by the server, converted to type code {@code code}. */
    @SuppressWarnings("unchecked")
    public <T> ValueProxy<T> value(char code, T value) { return (ValueProxy<T>) create("Value", code, value); }

    /**
     * Python's {@code manager.Array(code, seq)}: an array held by the server, from a
     * collection, a primitive array, or a size (that many zeros).
     */
    public ArrayProxy array(char code, Object sequenceOrSize) {
        Object s = sequenceOrSize instanceof Collection<?> c ? List.copyOf(c) : sequenceOrSize;
        return (ArrayProxy) create("Array", code, s);
    }
}
