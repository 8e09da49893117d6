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

import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.queues.JoinableQueue;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.sync.Barrier;
import io.multiprocessing4j.sync.BoundedSemaphore;
import io.multiprocessing4j.sync.Condition;
import io.multiprocessing4j.sync.Event;
import io.multiprocessing4j.sync.Lock;
import io.multiprocessing4j.sync.RLock;
import io.multiprocessing4j.sync.Semaphore;

import java.io.IOException;
import java.time.Duration;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link SyncManager}: a {@link BaseManagerImpl} with the built-in typeids registered. */
public final class SyncManagerImpl extends BaseManagerImpl implements SyncManager {

    /** See {@link BaseManagerImpl#BaseManagerImpl(ManagerHost, SocketAddress, byte[])}. */
    public SyncManagerImpl(ManagerHost launcher, SocketAddress address, byte[] authkey) {
        this(launcher, address, authkey, false);
    }

    /** {@code python}: a client of a CPython {@code SyncManager} (see {@link BaseManagerImpl}). */
    public SyncManagerImpl(ManagerHost launcher, SocketAddress address, byte[] authkey, boolean python) {
        super(launcher, address, authkey, python);
        registerBuiltin("dict", "dict", Builtins::newDict);
        registerBuiltin("list", "list", Builtins::newList);
        registerBuiltin("set", "set", Builtins::newSet);
        registerBuiltin("Namespace", "namespace", SmallBuiltins::newNamespace);
        registerBuiltin("Value", "value", SmallBuiltins::newValue);
        registerBuiltin("Array", "array", SmallBuiltins::newArray);
        registerBuiltin("Queue", "queue", SyncBuiltins::newQueue);
        registerBuiltin("JoinableQueue", "joinablequeue", SyncBuiltins::newJoinableQueue);
        registerBuiltin("Lock", "lock", SyncBuiltins::newLock);
        registerBuiltin("RLock", "rlock", SyncBuiltins::newRLock);
        registerBuiltin("Semaphore", "semaphore", SyncBuiltins::newSemaphore);
        registerBuiltin("BoundedSemaphore", "boundedsemaphore", SyncBuiltins::newBoundedSemaphore);
        registerBuiltin("Condition", "condition", SyncBuiltins::newCondition);
        registerBuiltin("Event", "event", SyncBuiltins::newEvent);
        registerBuiltin("Barrier", "barrier", SyncBuiltins::newBarrier);
        PoolBuiltins.register(registry, "Pool", PoolBuiltins.factory(launcher.pools()));
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
    public SyncManager register(String typeid, ManagedFactory factory, Class<?> proxyType) {
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
    public ArrayProxy array(char code, int length) {
        if (length < 0) throw new IllegalArgumentException("negative array length " + length);
        return (ArrayProxy) create("Array", code, length);
    }

    @Override
    public ArrayProxy array(char code, Collection<?> values) { return (ArrayProxy) create("Array", code, new ArrayList<>(values)); }

    @Override public <E> Queue<E> queue() { return queue(0); }

    @Override
    @SuppressWarnings("unchecked")
    public <E> Queue<E> queue(int maxsize) { return (Queue<E>) create("Queue", maxsize); }

    @Override public <E> JoinableQueue<E> joinableQueue() { return joinableQueue(0); }

    @Override
    @SuppressWarnings("unchecked")
    public <E> JoinableQueue<E> joinableQueue(int maxsize) { return (JoinableQueue<E>) create("JoinableQueue", maxsize); }

    @Override public Lock lock() { return (Lock) create("Lock"); }

    @Override public RLock rlock() { return (RLock) create("RLock"); }

    @Override public Semaphore semaphore(int value) { return (Semaphore) create("Semaphore", value); }

    @Override public BoundedSemaphore boundedSemaphore(int value) { return (BoundedSemaphore) create("BoundedSemaphore", value); }

    @Override public Condition condition() { return condition(rlock()); }

    @Override
    public Condition condition(Lock lock) {
        if (!(lock instanceof ManagedLock l) || !l.address().equals(address())) {
            throw new IllegalArgumentException("a managed condition's lock must be a lock() or rlock() of the same manager, not " + lock);
        }
        return (Condition) create("Condition", l);
    }

    @Override public Event event() { return (Event) create("Event"); }

    @Override public Pool pool() { return pool(Runtime.getRuntime().availableProcessors()); }

    @Override public Pool pool(int processes) { return pool(processes, null, Integer.MAX_VALUE); }

    @Override
    public Pool pool(int processes, SerializableRunnable initializer, int maxTasksPerChild) {
        if (isPython()) throw new UnsupportedOperationException("a CPython manager's Pool runs Python functions: use a Java manager's pool(), or ctx.pool()");
        if (processes < 1) throw new IllegalArgumentException("processes must be at least 1, not " + processes);
        if (maxTasksPerChild < 1) throw new IllegalArgumentException("maxTasksPerChild must be at least 1, not " + maxTasksPerChild);
        return (Pool) create("Pool", processes, initializer, maxTasksPerChild);
    }

    @Override public Barrier barrier(int parties) { return barrier(parties, null, null); }

    @Override
    public Barrier barrier(int parties, SerializableRunnable action, Duration timeout) {
        return (Barrier) create("Barrier", parties, action, Slice.nanos(timeout));
    }
}
