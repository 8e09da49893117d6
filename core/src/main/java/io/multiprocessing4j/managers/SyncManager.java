package io.multiprocessing4j.managers;

import io.multiprocessing4j.function.SerializableRunnable;
import io.multiprocessing4j.queues.JoinableQueue;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.sync.Barrier;
import io.multiprocessing4j.sync.BoundedSemaphore;
import io.multiprocessing4j.sync.Condition;
import io.multiprocessing4j.sync.Event;
import io.multiprocessing4j.sync.Lock;
import io.multiprocessing4j.sync.RLock;
import io.multiprocessing4j.sync.Semaphore;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code SyncManager}, what {@code multiprocessing.Manager()} returns: a
 * {@link BaseManager} with the shared containers and synchronization primitives registered.
 * Get a started one from {@code ctx.manager()} or {@code Multiprocessing.manager()}; close
 * it (try-with-resources) to stop its server. Each factory makes a new object on the server
 * and returns its proxy; every proxy is a {@link BaseProxy} (close it to drop its reference).
 *
 * <p><b>Queues and synchronization primitives</b> implement the same API types as the
 * shared-memory ones ({@link Queue}, {@link Lock}, {@link Semaphore}, ...), with the blocking,
 * timeout and interrupt contract of those types' javadoc: code written against them takes
 * either. A wait runs on the server in slices of at most 50 ms, so a waiting call never
 * stops another client's calls, an interrupt is seen within a slice, and an interrupted
 * call leaves nothing held on the server. Memory visibility: what a thread did before a
 * release, a put, a set or a signal is visible to the thread whose call observed it, in any
 * process. A client process that dies holding a {@link Lock} or {@link RLock} (or waiting on
 * a {@link Condition}) lets go of it; the next holder's {@link Lock#ownerDied()} is true
 * until it releases. A client that dies with a party waiting at a {@link Barrier} breaks the
 * barrier's cycle, as a local barrier's dead party does: the other parties get
 * {@link java.util.concurrent.BrokenBarrierException}. A semaphore's permits have no owner,
 * and a dead client's are lost; so is a queue item on its way to a client that dies (at most
 * one per thread of that client, taken by its last {@code get}), and an item is never
 * delivered twice.
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

    @Override SyncManager register(String typeid, ManagedFactory factory, Class<?> proxyType);

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

    /** Python's {@code manager.Array(code, n)}: an array of {@code length} zeros held by the server. */
    ArrayProxy array(char code, int length);

    /** Python's {@code manager.Array(code, seq)}: an array held by the server, each value converted to type code {@code code}. */
    ArrayProxy array(char code, Collection<?> values);

    /** {@link #array(char, Collection)} from {@code int}s. */
    default ArrayProxy array(char code, int[] values) { return array(code, Arrays.stream(values).boxed().toList()); }

    /** {@link #array(char, Collection)} from {@code long}s. */
    default ArrayProxy array(char code, long[] values) { return array(code, Arrays.stream(values).boxed().toList()); }

    /** {@link #array(char, Collection)} from {@code double}s. */
    default ArrayProxy array(char code, double[] values) { return array(code, Arrays.stream(values).boxed().toList()); }

    /** Python's {@code manager.Queue()}: a new unbounded managed queue. */
    <E> Queue<E> queue();

    /** Python's {@code manager.Queue(maxsize)}: a new managed queue holding at most {@code maxsize} items (0: unbounded). */
    <E> Queue<E> queue(int maxsize);

    /** Python's {@code manager.JoinableQueue()}: unbounded. */
    <E> JoinableQueue<E> joinableQueue();

    /** Python's {@code manager.JoinableQueue(maxsize)}. */
    <E> JoinableQueue<E> joinableQueue(int maxsize);

    /** Python's {@code manager.Lock()}: any thread may release it; a holder's death is noticed. */
    Lock lock();

    /** Python's {@code manager.RLock()}. */
    RLock rlock();

    /** Python's {@code manager.Semaphore(value)}. @throws IllegalArgumentException for a negative value */
    Semaphore semaphore(int value);

    /** Python's {@code manager.BoundedSemaphore(value)}. */
    BoundedSemaphore boundedSemaphore(int value);

    /** Python's {@code manager.Condition()}: over a new managed {@link RLock}. */
    Condition condition();

    /**
     * Python's {@code manager.Condition(lock)}.
     *
     * @throws IllegalArgumentException when {@code lock} is not a lock or rlock of this manager
     */
    Condition condition(Lock lock);

    /** Python's {@code manager.Event()}. */
    Event event();

    /** Python's {@code manager.Barrier(parties)}. */
    Barrier barrier(int parties);

    /**
     * Python's {@code manager.Barrier(parties, action, timeout)}: the action (null: none) runs
     * in the manager's server when the last party arrives; {@code timeout} (null: none) is
     * {@link Barrier#await()}'s.
     */
    Barrier barrier(int parties, SerializableRunnable action, Duration timeout);

    /** {@link #pool(int)} with one worker per processor of the server's machine: Python's {@code manager.Pool()}. */
    Pool pool();

    /** {@link #pool(int, SerializableRunnable, int)} without an initializer or a task limit: Python's {@code manager.Pool(processes)}. */
    Pool pool(int processes);

    /**
     * Python's {@code manager.Pool(processes, initializer, maxtasksperchild)}: a process pool
     * that lives in the manager's server, made there with the manager's start method (a
     * {@code thread} manager's pool is a thread pool), and shared by every process that holds
     * its proxy. The proxy is the same {@link Pool} type as {@code ctx.pool()}'s, with these
     * differences: an input iterable is read to its end in the caller before the call is sent
     * (so {@code imap} cannot take an endless input); callbacks run in the caller's JVM, on a
     * thread of the result, before the result reads ready there; {@code execute}'s and
     * {@code submit}'s tasks must be {@link java.io.Serializable} (as in any process pool).
     * Results ({@link io.multiprocessing4j.pool.AsyncResult},
     * {@link io.multiprocessing4j.pool.PoolIterator}) are managed objects of their own,
     * freed with their proxies. Waits ({@code get}, {@code next}, {@code join},
     * {@code awaitTermination}) run on the server in slices of at most 50 ms, so they honour
     * timeouts and interrupts and hold no server thread for long. {@link Pool#close()} shuts
     * the pool down, waits for its work, then drops the proxy's reference. The server
     * terminates the pool (workers stopped, pending results cancelled) when no process refers
     * to it any more (its proxies closed or collected, or their processes dead) and when it
     * shuts down. A dead server makes every call fail with
     * {@link ManagerUnreachableException}.
     *
     * @throws IllegalArgumentException      when {@code processes} or {@code maxTasksPerChild} is below 1
     * @throws UnsupportedOperationException on a client of a CPython manager
     */
    Pool pool(int processes, SerializableRunnable initializer, int maxTasksPerChild);
}
