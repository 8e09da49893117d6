package io.multiprocessing4j.managers;

import io.multiprocessing4j.function.SerializableRunnable;
import io.multiprocessing4j.process.BaseProcess;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code BaseManager}: a server process that holds objects, and proxies to them.
 * Get one from the context, {@code ctx.baseManager(address, authkey)} (Python's
 * {@code class M(BaseManager): pass; m = M(address, authkey)}), register typeids
 * ({@link #register}), then either {@link #start} a server in a child JVM (started by the
 * context's start method), {@link #connect} to a running one, or run one in this JVM with
 * {@link #getServer()}{@code .serveForever()}.
 *
 * <p>The address is a TCP {@link java.net.InetSocketAddress} or a
 * {@link java.net.UnixDomainSocketAddress}; null, for {@code start}, is a fresh Unix socket.
 * The authkey (default: this process's {@code authkey()}, which the children of this process
 * inherit) authenticates both ways before anything is decoded; a server on an address that
 * is not loopback refuses an empty one. Clients on this machine make their calls over
 * shared memory, remote ones over sockets.
 *
 * <p>{@link #close()} shuts down a manager this process started (its server and everything
 * it holds); for a connected one it closes this process's connections. Thread-safe.
 */
public interface BaseManager extends AutoCloseable {
    /** How long {@link #start} waits for the server process to report its address. */
    Duration START_TIMEOUT = Duration.ofSeconds(60);

    /** Python's client-side {@code register(typeid)}: a typeid whose objects a remote server makes. */
    BaseManager register(String typeid);

    /** Registers {@code typeid}, made by {@code factory}, every public method exposed. */
    BaseManager register(String typeid, ManagedFactory factory);

    /**
     * Python's {@code register(typeid, callable, exposed=..., method_to_typeid=..., create_method=...)}.
     *
     * @param factory        makes the object on the server; null registers a typeid this
     *                       process only uses (its server is elsewhere)
     * @param exposed        the methods the server calls (null: every public method); others are refused
     * @param methodToTypeid methods whose result the server keeps as a managed object of that typeid, returning a proxy
     * @param createMethod   whether {@link #create} may make objects of this typeid (false:
     *                       only as a method's result)
     * @throws IllegalStateException after {@code start} or {@code connect}
     */
    BaseManager register(String typeid, ManagedFactory factory, List<String> exposed,
                         Map<String, String> methodToTypeid, boolean createMethod);

    /**
     * Python's {@code register(typeid, callable, proxytype)}: objects of {@code typeid} are
     * made by {@code factory} and used through {@code proxyType}, one of this package's
     * proxy interfaces ({@link DictProxy} for a {@code Map} the factory returns,
     * {@link ListProxy} for a {@code List}, ...), or a type a {@link SyncManager} hands out:
     * {@link io.multiprocessing4j.sync.Lock}, {@link io.multiprocessing4j.sync.RLock},
     * {@link io.multiprocessing4j.sync.Semaphore}, {@link io.multiprocessing4j.sync.BoundedSemaphore},
     * {@link io.multiprocessing4j.sync.Condition}, {@link io.multiprocessing4j.sync.Event},
     * {@link io.multiprocessing4j.sync.Barrier}, {@link io.multiprocessing4j.queues.Queue},
     * {@link io.multiprocessing4j.queues.JoinableQueue} or {@link io.multiprocessing4j.pool.Pool}
     * (the exact type: a {@code Lock} is not an {@code RLock}). For those the factory returns
     * what {@link #factoryOf} of that type's typeid makes ({@code "Lock"}, {@code "Queue"}, ...,
     * with the same arguments as {@code SyncManager}'s method); anything else is refused when
     * an object is made, with a {@link RemoteError} that names the class. With a factory that
     * returns the same object each time, every client shares it:
     * {@code register("get_dict", a -> SHARED, DictProxy.class)}, or for a queue
     * {@code ManagedFactory q = m.factoryOf("Queue"); m.register("jobs", a -> Jobs.once(q), Queue.class)}
     * where {@code Jobs.once} keeps in a static field what {@code q.create(0)} made the first time.
     *
     * @throws IllegalArgumentException for a proxy type a manager does not hand out
     * @throws IllegalStateException after {@code start} or {@code connect}
     */
    BaseManager register(String typeid, ManagedFactory factory, Class<?> proxyType);

    /**
     * The factory registered under {@code typeid}, else {@link SyncManager}'s built-in factory
     * of that name ({@code "Lock"}, {@code "RLock"}, {@code "Semaphore"},
     * {@code "BoundedSemaphore"}, {@code "Condition"}, {@code "Event"}, {@code "Barrier"},
     * {@code "Queue"}, {@code "JoinableQueue"}, {@code "Pool"}), on any manager: the building
     * block of a factory registered with one of those proxy types. It runs only in a manager's
     * server; what it makes stays there.
     *
     * @throws IllegalArgumentException when there is no such factory
     */
    ManagedFactory factoryOf(String typeid);

    /** {@link #start(SerializableRunnable)} with no initializer. */
    BaseManager start() throws IOException;

    /**
     * Starts the server in a child JVM (a daemon: it dies with this process), which first
     * runs {@code initializer} (null: none), and waits until it listens, at most
     * {@link #START_TIMEOUT}.
     *
     * @throws IllegalStateException when started or shut down already
     * @throws io.multiprocessing4j.connection.ProcessError when the server process failed or did not report in time
     * @throws java.io.InterruptedIOException when interrupted while waiting for it
     */
    BaseManager start(SerializableRunnable initializer) throws IOException;

    /**
     * Connects to a running server at this manager's address: Python's {@code connect()}.
     *
     * @throws io.multiprocessing4j.connection.AuthenticationException when the server refused the key
     * @throws ManagerUnreachableException when nothing listens there
     * @throws IllegalStateException when this manager has no address, or is started or connected already
     */
    BaseManager connect() throws IOException;

    /**
     * A server for this manager's registry, address and key, in this JVM and not yet
     * started: Python's {@code get_server()}; {@link ManagerServer#serveForever()} runs it.
     *
     * @throws IllegalArgumentException for an empty key on an address that is not loopback
     */
    ManagerServer getServer();

    /**
     * Stops the server this manager started, and everything it holds (proxies in any process
     * then fail with {@link ManagerUnreachableException}); waits up to a second for its
     * process to end, then kills it. For a connected manager, closes this process's
     * connections to the server (the server goes on). Idempotent.
     */
    void shutdown();

    /** Shuts down: see {@link #shutdown()}. */
    @Override
    void close();

    /** The server's address ({@code unix:/path} or {@code tcp:host:port}) once started or connected, else null. */
    String address();

    /** The authkey (a copy). */
    byte[] authkey();

    /** The process that runs the server, when this manager started it, else null. */
    BaseProcess process();

    /**
     * A new object of {@code typeid} made on the server from {@code args}, and its proxy:
     * Python's {@code manager.typeid(*args)}. The proxy's type is the typeid's ({@link AutoProxy}
     * for a user type).
     *
     * @throws RemoteError for an unknown typeid, or when the factory failed
     * @throws IllegalArgumentException for a typeid registered with {@code createMethod} false
     * @throws IllegalStateException when not started or connected
     */
    BaseProxy create(String typeid, Object... args);

    /** How many objects the server holds: Python's {@code _number_of_objects()}. */
    int numberOfObjects();

    /** The server's objects and sessions, as text: Python's {@code _debug_info()}. */
    String debugInfo();
}
