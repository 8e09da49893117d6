package io.multiprocessing4j.distributed;

import io.multiprocessing4j.distributed.internal.Containers;
import io.multiprocessing4j.distributed.internal.Factory;
import io.multiprocessing4j.distributed.internal.Home;
import io.multiprocessing4j.distributed.internal.Server;
import io.multiprocessing4j.distributed.internal.pool.RedisPool;
import io.multiprocessing4j.distributed.pool.DistributedPool;
import io.multiprocessing4j.distributed.pool.PoolOptions;
import io.multiprocessing4j.managers.DictProxy;
import io.multiprocessing4j.managers.ListProxy;
import io.multiprocessing4j.managers.Namespace;
import io.multiprocessing4j.queues.JoinableQueue;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.sharedctypes.RawValue;
import io.multiprocessing4j.sharedctypes.Value;
import io.multiprocessing4j.sync.Barrier;
import io.multiprocessing4j.sync.BoundedSemaphore;
import io.multiprocessing4j.sync.Condition;
import io.multiprocessing4j.sync.Event;
import io.multiprocessing4j.sync.Lock;
import io.multiprocessing4j.sync.RLock;
import io.multiprocessing4j.sync.Semaphore;

import java.time.Duration;
import java.util.List;

/**
 * A connection to a Redis-protocol server whose factories make the library's API types as
 * objects on the server, so that a program written against {@code sync.Lock},
 * {@code queues.Queue}, ... runs unchanged across machines. Nothing is created in
 * {@code /dev/shm}. Made by {@link Distributed#context}.
 *
 * <h2>Names</h2>
 * Every object has a name: {@code ctx.lock("orders")} in any JVM on any machine whose
 * context is on the same server is the same lock. A factory without a name (the local
 * context's signatures: {@code ctx.lock()}, {@code ctx.queue(maxsize)}, ...) makes a new
 * object with a generated name, which reaches other JVMs by being passed to them. Within one context a name gives one object of each kind
 * (asking again returns it). The first maker's parameters (a semaphore's value, a queue's
 * bound, a barrier's parties) are the server's; asking again in the same context with
 * others is an {@link IllegalArgumentException}.
 *
 * <h2>Passing objects on</h2>
 * An object passed to another process (a process argument, a queue item: anything
 * serialized) travels as its address, kind and name, and is rebuilt there by a context open
 * on the same address in that JVM; a JVM that has none opens one with the default options
 * (closed at its exit), so a child process given a distributed queue needs no code of its
 * own. No password travels: a server that asks for one refuses that default context, and
 * the object fails to arrive ({@link java.io.InvalidObjectException}) unless the receiving
 * JVM opened a context with the credentials first.
 *
 * <h2>Contracts</h2>
 * The objects keep their interfaces' contracts (timeouts, interrupts, Python's rules), with
 * these facts of a server:
 * <ul>
 *   <li><b>Memory visibility:</b> each call is a script run atomically on the server, so
 *       what a thread did before a release, a put or a set happens-before what a thread
 *       does after the acquire, get or wait that saw it, in any JVM.</li>
 *   <li><b>Dead holders:</b> this context renews a liveness key every third of the lease
 *       ({@link DistributedOptions#lease()}); a lock whose holder's context stopped renewing
 *       (killed, cut off, closed) is taken over by the next acquirer after the lease, whose
 *       {@code ownerDied()} is then true; a queue item a dead receiver was taking goes back
 *       to the queue. Semaphores, as locally, have no owner.</li>
 *   <li><b>The server going away:</b> a call, and a wait blocked on the server, fails within
 *       the timeout ({@link DistributedOptions#timeout()}) with a
 *       {@link ServerUnavailableException}; when the server is back, new calls work. A
 *       server without persistence that restarts has forgotten every object's state: they
 *       start again from their makers' initial values.</li>
 * </ul>
 *
 * <p><b>Closing</b> releases this JVM's connection and its liveness key (what it still held
 * counts as held by a dead owner); the objects stay on the server for the other contexts.
 * Its objects throw {@link IllegalStateException} afterwards. Thread-safe.
 */
public final class DistributedContext implements AutoCloseable {
    private final Home home;

    DistributedContext(DistributedOptions options) {
        this.home = new Home(options);
    }

    /** The options this context was made with. */
    public DistributedOptions options() { return home.options(); }

    /** Asks the server for an answer: true, or {@link ServerUnavailableException}. */
    public boolean ping() {
        return Server.asLong(home.server().eval("return {1}", List.of())) == 1;
    }

    /**
     * This context's id on the server: what its locks record as their holder's, and what
     * {@link #isAlive(String)} asks about (a worker can register it, say in a dict, so that
     * others can tell when it died).
     */
    public String id() { return home.id(); }

    /**
     * Whether the context {@code id} (of any JVM) still renews its liveness on the server: false
     * once it was closed, or its JVM died or lost the server for longer than its lease.
     */
    public boolean isAlive(String id) { return home.isAlive(id); }

    /** Python's {@code Lock()}: any thread of any process may release it. */
    public Lock lock(String name) { return Factory.lock(home, name); }

    public Lock lock() { return lock(Home.generatedName("lock")); }

    /** Python's {@code RLock()}: reentrant, owned by one thread. */
    public RLock rlock(String name) { return Factory.rlock(home, name); }

    public RLock rlock() { return rlock(Home.generatedName("rlock")); }

    /** Python's {@code Semaphore(value)}. */
    public Semaphore semaphore(String name, int value) { return Factory.semaphore(home, name, value); }

    public Semaphore semaphore(int value) { return semaphore(Home.generatedName("semaphore"), value); }

    public Semaphore semaphore() { return semaphore(1); }

    /** Python's {@code BoundedSemaphore(value)}: a release above {@code value} is refused. */
    public BoundedSemaphore boundedSemaphore(String name, int value) { return Factory.boundedSemaphore(home, name, value); }

    public BoundedSemaphore boundedSemaphore(int value) { return boundedSemaphore(Home.generatedName("bsemaphore"), value); }

    public BoundedSemaphore boundedSemaphore() { return boundedSemaphore(1); }

    /** Python's {@code Event()}. */
    public Event event(String name) { return Factory.event(home, name); }

    public Event event() { return event(Home.generatedName("event")); }

    /**
     * Python's {@code Barrier(parties, action, timeout)}: {@code action} (may be null) runs in
     * the JVM of the last arrival, if that JVM's barrier has it: the one made with it, or one
     * rebuilt from it when the action is serializable; {@code timeout} is {@code await()}'s
     * default ({@code null}: none).
     */
    public Barrier barrier(String name, int parties, Runnable action, Duration timeout) {
        return Factory.barrier(home, name, parties, action, timeout);
    }

    public Barrier barrier(String name, int parties) { return barrier(name, parties, null, null); }

    public Barrier barrier(int parties) { return barrier(Home.generatedName("barrier"), parties); }

    public Barrier barrier(int parties, Runnable action, Duration timeout) {
        return barrier(Home.generatedName("barrier"), parties, action, timeout);
    }

    /** Python's {@code Condition(lock)}: {@code lock} is a {@link Lock} or {@link RLock} of this context. */
    public Condition condition(String name, Lock lock) { return Factory.condition(home, name, lock); }

    /** Python's {@code Condition()}: over a new RLock named after it. */
    public Condition condition(String name) { return condition(name, rlock("condition:" + name)); }

    public Condition condition(Lock lock) { return condition(Home.generatedName("condition"), lock); }

    public Condition condition() { return condition(Home.generatedName("condition")); }

    /**
     * Python's {@code Value(code, initial)}: type codes {@code i}, {@code l}, {@code q} and
     * {@code d}; the accessors take an RLock named after the value; the atomics
     * ({@code incrementAndGet}, ...) are single server calls.
     */
    public Value value(String name, char code, Object initial) { return Factory.value(home, name, code, initial, null); }

    /** As {@link #value(String, char, Object)}, guarded by {@code lock} (Python's {@code lock=l}). */
    public Value value(String name, char code, Object initial, Lock lock) {
        return Factory.value(home, name, code, initial, lock);
    }

    public Value value(char code, Object initial) { return value(Home.generatedName("value"), code, initial); }

    /** Python's {@code RawValue(code, initial)} (no lock). */
    public RawValue rawValue(String name, char code, Object initial) { return Factory.rawValue(home, name, code, initial); }

    public RawValue rawValue(char code, Object initial) { return rawValue(Home.generatedName("value"), code, initial); }

    /** Python's {@code Queue(maxsize)} (0 or negative: unbounded). */
    public <E> Queue<E> queue(String name, int maxsize) { return Factory.queue(home, name, maxsize); }

    public <E> Queue<E> queue(String name) { return queue(name, 0); }

    public <E> Queue<E> queue(int maxsize) { return queue(Home.generatedName("queue"), maxsize); }

    public <E> Queue<E> queue() { return queue(0); }

    /** Python's {@code JoinableQueue(maxsize)}. */
    public <E> JoinableQueue<E> joinableQueue(String name, int maxsize) { return Factory.joinableQueue(home, name, maxsize); }

    public <E> JoinableQueue<E> joinableQueue(String name) { return joinableQueue(name, 0); }

    public <E> JoinableQueue<E> joinableQueue(int maxsize) { return joinableQueue(Home.generatedName("queue"), maxsize); }

    public <E> JoinableQueue<E> joinableQueue() { return joinableQueue(0); }

    /**
     * A manager's {@code dict()} on the server ({@link DictProxy}: a {@code ConcurrentMap} in
     * insertion order, each method one atomic call). Unlike a manager's, {@code compute},
     * {@code merge} and kin run their function in the caller and store the result only if the
     * entry did not change meanwhile (else run it again): as atomic, any function is taken,
     * and it may run more than once. Keys are equal when their encodings are.
     * {@link DictProxy#close()} closes this view only; the dict stays until cleared.
     */
    public <K, V> DictProxy<K, V> dict(String name) { return Containers.dict(home, name); }

    public <K, V> DictProxy<K, V> dict() { return dict(Home.generatedName("dict")); }

    /**
     * A manager's {@code list()} on the server ({@link ListProxy}); {@code sort},
     * {@code removeIf} and {@code replaceAll} run their function in the caller and write the
     * result back only if the list did not change meanwhile (else run it again).
     */
    public <E> ListProxy<E> list(String name) { return Containers.list(home, name); }

    public <E> ListProxy<E> list() { return list(Home.generatedName("list")); }

    /** A manager's {@code Namespace()} on the server. */
    public Namespace namespace(String name) { return Containers.namespace(home, name); }

    public Namespace namespace() { return namespace(Home.generatedName("namespace")); }

    /**
     * Joins the distributed pool {@code name} as a client ({@link DistributedPool}); its workers
     * are started with {@code bin/worker}. Each call makes a new client of the pool.
     */
    public DistributedPool pool(String name, PoolOptions options) {
        if (isClosed()) throw new IllegalStateException("the DistributedContext on " + home.address() + " is closed");
        return new RedisPool(home.server(), name, options, this::isClosed);
    }

    public DistributedPool pool(String name) { return pool(name, PoolOptions.defaults()); }

    @Override
    public void close() {
        home.close();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() { return home.isClosed(); }

    @Override
    public String toString() {
        return "DistributedContext[" + home.address() + "]";
    }
}
