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
 * context is on the same server is the same lock. A factory without a name makes a new
 * object with a generated one. Within one context a name gives one object of each kind
 * (asking again returns it). The first maker's parameters (a semaphore's value, a queue's
 * bound, a barrier's parties) are the server's; asking again in the same context with
 * others is an {@link IllegalArgumentException}.
 *
 * <h2>Passing objects on</h2>
 * An object passed to another process (a process argument, a queue item: anything
 * serialized) travels as its address, kind and name, and is rebuilt there by a context open
 * on the same address in that JVM (it fails with {@link java.io.InvalidObjectException}
 * when there is none). No password travels.
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

    /** Python's {@code Lock()}: any thread of any process may release it. */
    public Lock lock(String name) { return Factory.lock(home, name); }

    public Lock lock() { return lock(Home.generatedName("lock")); }

    /** Python's {@code RLock()}: reentrant, owned by one thread. */
    public RLock rlock(String name) { return Factory.rlock(home, name); }

    public RLock rlock() { return rlock(Home.generatedName("rlock")); }

    /** Python's {@code Semaphore(value)}. */
    public Semaphore semaphore(String name, int value) { return Factory.semaphore(home, name, value); }

    public Semaphore semaphore(int value) { return semaphore(Home.generatedName("semaphore"), value); }

    /** Python's {@code BoundedSemaphore(value)}: a release above {@code value} is refused. */
    public BoundedSemaphore boundedSemaphore(String name, int value) { return Factory.boundedSemaphore(home, name, value); }

    public BoundedSemaphore boundedSemaphore(int value) { return boundedSemaphore(Home.generatedName("bsemaphore"), value); }

    /** Python's {@code Event()}. */
    public Event event(String name) { return Factory.event(home, name); }

    public Event event() { return event(Home.generatedName("event")); }

    /**
     * Python's {@code Barrier(parties, action, timeout)}; {@code action} (may be null) runs in
     * the JVM of the last arrival if that JVM's barrier was made with one.
     */
    public Barrier barrier(String name, int parties, Runnable action, Duration timeout) {
        return Factory.barrier(home, name, parties, action, timeout);
    }

    public Barrier barrier(String name, int parties) { return barrier(name, parties, null, null); }

    public Barrier barrier(int parties) { return barrier(Home.generatedName("barrier"), parties); }

    /** Python's {@code Condition(lock)}: {@code lock} is a {@link Lock} or {@link RLock} of this context. */
    public Condition condition(String name, Lock lock) { return Factory.condition(home, name, lock); }

    /** Python's {@code Condition()}: over a new RLock named after it. */
    public Condition condition(String name) { return condition(name, rlock("condition:" + name)); }

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

    /** Python's {@code RawValue(code, initial)} (no lock). */
    public RawValue rawValue(String name, char code, Object initial) { return Factory.rawValue(home, name, code, initial); }

    /** Python's {@code Queue(maxsize)} (0 or negative: unbounded). */
    public <E> Queue<E> queue(String name, int maxsize) { return Factory.queue(home, name, maxsize); }

    public <E> Queue<E> queue(String name) { return queue(name, 0); }

    /** Python's {@code JoinableQueue(maxsize)}. */
    public <E> JoinableQueue<E> joinableQueue(String name, int maxsize) { return Factory.joinableQueue(home, name, maxsize); }

    public <E> JoinableQueue<E> joinableQueue(String name) { return joinableQueue(name, 0); }

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
