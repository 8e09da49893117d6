package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.function.SerializableRunnable;
import io.multiprocessing4j.managers.ArrayProxy;
import io.multiprocessing4j.managers.BaseProxy;
import io.multiprocessing4j.managers.DictProxy;
import io.multiprocessing4j.managers.ListProxy;
import io.multiprocessing4j.managers.ManagedFactory;
import io.multiprocessing4j.managers.Namespace;
import io.multiprocessing4j.managers.SetProxy;
import io.multiprocessing4j.managers.SyncManager;
import io.multiprocessing4j.managers.ValueProxy;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link SyncManager}: a {@link BaseManagerImpl} with the built-in typeids registered. */
public final class SyncManagerImpl extends BaseManagerImpl implements SyncManager {

    /** See {@link BaseManagerImpl#BaseManagerImpl(Launcher, SocketAddress, byte[])}. */
    public SyncManagerImpl(Launcher launcher, SocketAddress address, byte[] authkey) {
        super(launcher, address, authkey);
        registerBuiltin("dict", "dict", Builtins::newDict);
        registerBuiltin("list", "list", Builtins::newList);
        registerBuiltin("set", "set", Builtins::newSet);
        registerBuiltin("Namespace", "namespace", SmallBuiltins::newNamespace);
        registerBuiltin("Value", "value", SmallBuiltins::newValue);
        registerBuiltin("Array", "array", SmallBuiltins::newArray);
    }

    @Override String typeName() { return "SyncManager"; }

    @Override public SyncManager register(String typeid) { super.register(typeid); return this; }

    @Override public SyncManager register(String typeid, ManagedFactory factory) { super.register(typeid, factory); return this; }

    @Override
    public SyncManager register(String typeid, ManagedFactory factory, List<String> exposed, Map<String, String> methodToTypeid, boolean createMethod) {
        super.register(typeid, factory, exposed, methodToTypeid, createMethod);
        return this;
    }

    @Override
    public SyncManager register(String typeid, ManagedFactory factory, Class<? extends BaseProxy> proxyType) {
        super.register(typeid, factory, proxyType);
        return this;
    }

    @Override public SyncManager start() throws IOException { super.start(); return this; }

    @Override public SyncManager start(SerializableRunnable initializer) throws IOException { super.start(initializer); return this; }

    @Override public SyncManager connect() throws IOException { super.connect(); return this; }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> DictProxy<K, V> dict() { return (DictProxy<K, V>) create("dict"); }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> DictProxy<K, V> dict(Map<? extends K, ? extends V> m) { return (DictProxy<K, V>) create("dict", new LinkedHashMap<>(m)); }

    @Override
    @SuppressWarnings("unchecked")
    public <E> ListProxy<E> list() { return (ListProxy<E>) create("list"); }

    @Override
    @SuppressWarnings("unchecked")
    public <E> ListProxy<E> list(Collection<? extends E> items) { return (ListProxy<E>) create("list", new ArrayList<>(items)); }

    @Override
    @SuppressWarnings("unchecked")
    public <E> SetProxy<E> set() { return (SetProxy<E>) create("set"); }

    @Override
    @SuppressWarnings("unchecked")
    public <E> SetProxy<E> set(Collection<? extends E> items) { return (SetProxy<E>) create("set", new ArrayList<>(items)); }

    @Override public Namespace namespace() { return (Namespace) create("Namespace"); }

    @Override public Namespace namespace(Map<String, ?> attributes) { return (Namespace) create("Namespace", new LinkedHashMap<>(attributes)); }

    @Override
    @SuppressWarnings("unchecked")
    public <T> ValueProxy<T> value(char code, T value) { return (ValueProxy<T>) create("Value", code, value); }

    @Override
    public ArrayProxy array(char code, Object sequenceOrSize) {
        Object s = sequenceOrSize instanceof Collection<?> c ? List.copyOf(c) : sequenceOrSize;
        return (ArrayProxy) create("Array", code, s);
    }
}
