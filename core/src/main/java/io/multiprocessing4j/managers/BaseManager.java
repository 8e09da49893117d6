package io.multiprocessing4j.managers;

import io.multiprocessing4j.connection.AuthenticationException;
import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.ProcessError;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.function.SerializableRunnable;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.serial.Codec;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Python's {@code BaseManager}: a server process that holds objects, and proxies to them.
 * Register typeids ({@link #register}), then either {@link #start} a server in a child
 * JVM (started by the context's start method) or {@link #connect} to a running one, or run
 * one in this JVM with {@link #getServer()}{@code .serveForever()}.
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
public class BaseManager implements AutoCloseable {
    /** How long {@link #start} waits for the server process to report its address. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private enum State { INITIAL, STARTED, CONNECTED, SHUTDOWN }

    final Registry registry = new Registry();
    private final Context ctx;
    private final SocketAddress requested;
    private final byte[] authkey;
    private final Codec codec;
    private State state = State.INITIAL;
    private BaseProcess process;
    private String address;
    private volatile ClientSession session;

    /** A manager on a fresh Unix socket, with the default context and this process's authkey. */
    public BaseManager() { this(null, null, null, null); }

    /** A manager at {@code address} (null: a fresh Unix socket) with {@code authkey} (null: this process's). */
    public BaseManager(SocketAddress address, byte[] authkey) { this(null, address, authkey, null); }

    /**
     * A manager whose server {@link #start} launches with {@code ctx}'s start method (null: a
     * default context that this manager closes with itself), at {@code address}, with
     * {@code authkey} (null: this process's) and {@code codec} (null: the default codec; any
     * other must be serializable, since it travels to the server).
     */
    public BaseManager(Context ctx, SocketAddress address, byte[] authkey, Codec codec) {
        this.ctx = ctx;
        this.requested = address;
        this.authkey = authkey != null ? authkey.clone() : BaseProcess.current().authkey();
        this.codec = codec != null ? codec : Codec.defaultCodec();
    }

    // ------------------------------------------------------------------ registration

    /** Python's client-side {@code register(typeid)}: a typeid whose objects a remote server makes. */
    public BaseManager register(String typeid) { return register(typeid, null, null, null, true); }

    /** Registers {@code typeid}, made by {@code factory}, every public method exposed. */
    public BaseManager register(String typeid, ManagedFactory factory) {
        return register(typeid, factory, null, null, true);
    }

    /**
     * Python's {@code register(typeid, callable, exposed=..., method_to_typeid=..., create_method=...)}.
     *
     * @param factory        makes the object on the server; null registers a typeid this
     *                       process only uses (its server is elsewhere)
     * @param exposed        the methods the server calls (null: every public method); others are refused
     * @param methodToTypeid methods whose result the server keeps as a managed object of that typeid, returning a proxy
     * @param createMethod   whether {@link #create} may make objects of this typeid (false:
     *                       only as a method's result)
     */
    public synchronized BaseManager register(String typeid, ManagedFactory factory, List<String> exposed,
                                             Map<String, String> methodToTypeid, boolean createMethod) {
        if (state != State.INITIAL) throw new IllegalStateException("register typeids before start()");
        registry.add(new TypeSpec(typeid, "auto", factory, exposed, methodToTypeid, createMethod));
        return this;
    }

    /**
     * Python's {@code register(typeid, callable, proxytype)}: objects of {@code typeid} are
     * made by {@code factory} and used through {@code proxyType}, one of this package's
     * proxies ({@link DictProxy} for a {@code Map} the factory returns, {@link ListProxy} for
     * a {@code List}, ...). With a factory that returns the same object each time, every
     * client shares it: {@code register("get_dict", a -> SHARED, DictProxy.class)}.
     */
    public synchronized BaseManager register(String typeid, ManagedFactory factory, Class<? extends BaseProxy> proxyType) {
        if (state != State.INITIAL) throw new IllegalStateException("register typeids before start()");
        registry.add(new TypeSpec(typeid, Proxies.kindOf(proxyType), factory, null, null, true));
        return this;
    }

    /** Registers a built-in proxy kind; for the subclasses in this package. */
    final void registerBuiltin(String typeid, String kind, ManagedFactory factory) {
        registry.add(new TypeSpec(typeid, kind, factory, null, null, true));
    }

    // ------------------------------------------------------------------ lifecycle

    /** {@link #start(SerializableRunnable)} with no initializer. */
    public BaseManager start() throws IOException { return start(null); }

    /**
     * Starts the server in a child JVM (a daemon: it dies with this process), which first
     * runs {@code initializer} (null: none), and waits until it listens, at most
     * {@link #START_TIMEOUT}.
     *
     * @throws IllegalStateException when started or shut down already
     * @throws ProcessError when the server process failed or did not report in time
     * @throws java.io.InterruptedIOException when interrupted while waiting for it
     */
    public synchronized BaseManager start(SerializableRunnable initializer) throws IOException {
        if (state == State.SHUTDOWN) throw new IllegalStateException("manager has shut down");
        if (state != State.INITIAL) throw new IllegalStateException("already started server");
        Context c = context();
        Pipe pipe = c.pipe(false);
        Object reply;
        try (Connection reader = pipe.reader(); Connection writer = pipe.writer()) {
            String where = requested == null ? null : Addresses.format(requested);
            Codec sent = codec == Codec.defaultCodec() ? null : codec;
            process = c.process(ServerMain::run, registry.copy(), where, authkey, sent, initializer, writer);
            process.setDaemon(true);
            process.setName(getClass().getSimpleName() + "-server");
            process.start();
            // a thread child shares this very object; a JVM child has its own view, and ours must go for its death to read as EOF
            if (c.startMethod() != io.multiprocessing4j.process.StartMethod.THREAD) writer.close();
            reply = awaitReport(reader);
        } catch (IOException | RuntimeException e) {
            if (process != null && process.exitCode() == null) process.kill();
            throw e;
        }
        if (reply instanceof Throwable t) throw new ProcessError("the manager's server failed to start: " + t, t);
        address = (String) reply;
        ClientSession.rememberKey(address, authkey);
        session = ClientSession.of(address, authkey, codec);
        state = State.STARTED;
        return this;
    }

    private Object awaitReport(Connection reader) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!reader.poll(Duration.ofMillis(100))) {
            if (System.nanoTime() - deadline > 0) throw new ProcessError("the manager's server did not report within " + START_TIMEOUT);
        }
        try {
            return reader.recv();
        } catch (EOFException e) {
            throw new ProcessError("the manager's server process ended before it listened (exit code " + exitCode() + ")", e);
        }
    }

    private Integer exitCode() {
        try {
            process.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return process.exitCode();
    }

    /**
     * Connects to a running server at the address given to the constructor: Python's {@code connect()}.
     *
     * @throws AuthenticationException when the server refused the key
     * @throws ManagerUnreachableException when nothing listens there
     */
    public synchronized BaseManager connect() throws IOException {
        if (state != State.INITIAL) throw new IllegalStateException("manager is " + state.name().toLowerCase());
        if (requested == null) throw new IllegalStateException("connect() needs the server's address");
        String a = Addresses.format(requested);
        ClientSession s;
        try {
            s = ClientSession.of(a, authkey, codec);
        } catch (ManagerAuthenticationException e) {
            throw (AuthenticationException) e.getCause();
        }
        s.call(0, "dummy");
        ClientSession.rememberKey(a, authkey);
        address = a;
        session = s;
        state = State.CONNECTED;
        return this;
    }

    /**
     * A server for this manager's registry, address and key, in this JVM and not yet
     * started: Python's {@code get_server()}; {@link Server#serveForever()} runs it.
     */
    public Server getServer() {
        return new Server(registry, requested, authkey, codec);
    }

    /**
     * Stops the server this manager started, and everything it holds (proxies in any process
     * then fail with {@link ManagerUnreachableException}); waits up to a second for its
     * process to end, then kills it. For a connected manager, closes this process's
     * connections to the server (the server goes on). Idempotent.
     */
    public void shutdown() {
        ClientSession s;
        BaseProcess p;
        synchronized (this) {
            if (state == State.SHUTDOWN || state == State.INITIAL) {
                state = State.SHUTDOWN;
                closeContext();
                return;
            }
            s = session;
            p = state == State.STARTED ? process : null;
            state = State.SHUTDOWN;
        }
        if (p != null) {
            try {
                s.call(0, "shutdown");
            } catch (RuntimeException ignored) {
                // gone already
            }
        }
        s.close();
        if (p != null) {
            try {
                if (!p.join(Duration.ofSeconds(1))) {
                    p.terminate();
                    if (!p.join(Duration.ofSeconds(1))) p.kill();
                    p.join();
                }
            } catch (InterruptedException e) {
                p.kill();
                Thread.currentThread().interrupt();
            }
        }
        closeContext();
    }

    private void closeContext() {
        Context c;
        synchronized (this) {
            c = defaultContext;
        }
        if (c != null) c.close();
    }

    private Context defaultContext; // made when no context was given, closed with the manager

    private Context context() {
        if (ctx != null) return ctx;
        if (defaultContext == null) defaultContext = Multiprocessing.getContext();
        return defaultContext;
    }

    /** Shuts down: see {@link #shutdown()}. */
    @Override
    public void close() { shutdown(); }

    // ------------------------------------------------------------------ use

    /** The server's address ({@code unix:/path} or {@code tcp:host:port}) once started or connected, else null. */
    public synchronized String address() { return address; }

    /** The authkey (a copy). */
    public byte[] authkey() { return authkey.clone(); }

    /** The process that runs the server, when this manager started it. */
    public synchronized BaseProcess process() { return process; }

    /**
     * A new object of {@code typeid} made on the server from {@code args}, and its proxy:
     * Python's {@code manager.typeid(*args)}. The proxy's class is the typeid's ({@link AutoProxy}
     * for a user type).
     *
     * @throws RemoteError for an unknown typeid
     * @throws IllegalArgumentException for a typeid registered with {@code createMethod} false
     */
    public BaseProxy create(String typeid, Object... args) {
        TypeSpec spec = registry.get(typeid);
        if (spec != null && !spec.createMethod()) throw new IllegalArgumentException("typeid '" + typeid + "' was registered without a create method");
        Object[] a = new Object[args.length + 1];
        a[0] = typeid;
        System.arraycopy(args, 0, a, 1, args.length);
        return (BaseProxy) session().call(0, "create", a);
    }

    /** How many objects the server holds: Python's {@code _number_of_objects()}. */
    public int numberOfObjects() { return (Integer) session().call(0, "numberOfObjects"); }

    /** The server's objects and sessions, as text: Python's {@code _debug_info()}. */
    public String debugInfo() { return (String) session().call(0, "debugInfo"); }

    ClientSession session() {
        ClientSession s = session;
        if (s == null) throw new IllegalStateException("manager is not started or connected");
        return s;
    }

    @Override
    public String toString() { return getClass().getSimpleName() + "(" + Objects.requireNonNullElse(address, "not started") + ")"; }
}
