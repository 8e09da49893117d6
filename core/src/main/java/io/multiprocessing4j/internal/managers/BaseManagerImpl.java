package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.connection.ProcessError;
import io.multiprocessing4j.connection.AuthenticationException;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.function.SerializableRunnable;
import io.multiprocessing4j.managers.BaseManager;
import io.multiprocessing4j.managers.BaseProxy;
import io.multiprocessing4j.managers.ManagedFactory;
import io.multiprocessing4j.managers.ManagerAuthenticationException;
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
 * A {@link BaseManager}: the registry, the server process it started (through the
 * {@link ManagerHost}) or the address it connected to, and the client session its proxies use.
 */
public class BaseManagerImpl implements BaseManager {
    private enum State { INITIAL, STARTED, CONNECTED, SHUTDOWN }

    final Registry registry = new Registry();
    private final ManagerHost launcher;
    private final SocketAddress requested;
    private final byte[] authkey;
    private final Codec codec;
    private State state = State.INITIAL;
    private BaseProcess process;
    private String address;
    private final boolean python;
    private volatile Session session;

    /**
     * A manager whose server {@link #start} launches through {@code launcher}, at
     * {@code address} (null: a fresh Unix socket), with {@code authkey} (null: this process's);
     * values travel with the launcher's codec (any but the default must be serializable,
     * since it travels to the server).
     */
    public BaseManagerImpl(ManagerHost launcher, SocketAddress address, byte[] authkey) {
        this(launcher, address, authkey, false);
    }

    /**
     * As above; {@code python}: a client of a manager that speaks CPython's protocol (a
     * {@code multiprocessing.managers} server in {@code python3}), which it can only
     * {@link #connect} to.
     */
    public BaseManagerImpl(ManagerHost launcher, SocketAddress address, byte[] authkey, boolean python) {
        this.python = python;
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.requested = address;
        this.authkey = authkey != null ? authkey.clone() : BaseProcess.current().authkey();
        this.codec = launcher.codec();
    }

    // ------------------------------------------------------------------ registration

    @Override
    public BaseManager register(String typeid) { return register(typeid, null, null, null, true); }

    @Override
    public BaseManager register(String typeid, ManagedFactory factory) {
        return register(typeid, factory, null, null, true);
    }

    @Override
    public synchronized BaseManager register(String typeid, ManagedFactory factory, List<String> exposed,
                                             Map<String, String> methodToTypeid, boolean createMethod) {
        if (state != State.INITIAL) throw new IllegalStateException("register typeids before start()");
        registry.add(new TypeSpec(typeid, "auto", factory, exposed, methodToTypeid, createMethod));
        return this;
    }

    @Override
    public synchronized BaseManager register(String typeid, ManagedFactory factory, Class<?> proxyType) {
        if (state != State.INITIAL) throw new IllegalStateException("register typeids before start()");
        String kind = Proxies.kindOf(proxyType);
        if (kind.equals("pool")) PoolBuiltins.register(registry, typeid, factory); // its results are managed objects too
        else registry.add(new TypeSpec(typeid, kind, factory, null, null, true));
        return this;
    }

    @Override
    public ManagedFactory factoryOf(String typeid) {
        TypeSpec spec = registry.get(typeid);
        if (spec != null && spec.factory() != null) return spec.factory();
        if (typeid.equals("Pool")) return PoolBuiltins.factory(launcher.pools());
        ManagedFactory f = SyncBuiltins.FACTORIES.get(typeid);
        if (f == null) throw new IllegalArgumentException("no factory for typeid '" + typeid + "': neither registered nor one of SyncManager's");
        return f;
    }

    /** Registers a built-in proxy kind; for the subclasses in this package. */
    final void registerBuiltin(String typeid, String kind, ManagedFactory factory) {
        registry.add(new TypeSpec(typeid, kind, factory, null, null, true));
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public BaseManager start() throws IOException { return start(null); }

    @Override
    public synchronized BaseManager start(SerializableRunnable initializer) throws IOException {
        if (python) throw new IllegalStateException("a CPython manager's server is started by python3: connect() to it");
        if (state == State.SHUTDOWN) throw new IllegalStateException("manager has shut down");
        if (state != State.INITIAL) throw new IllegalStateException("already started server");
        Pipe pipe = launcher.pipe();
        Object reply;
        try (Connection reader = pipe.reader(); Connection writer = pipe.writer()) {
            String where = requested == null ? null : Addresses.format(requested);
            Codec sent = codec == Codec.defaultCodec() ? null : codec;
            process = launcher.process(ServerMain::run, registry.copy(), where, authkey, sent, initializer, writer);
            process.setDaemon(true);
            process.setName(typeName() + "-server");
            process.start();
            // a thread child shares this very object; a JVM child has its own view, and ours must go for its death to read as EOF
            if (!launcher.sameJvm()) writer.close();
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

    @Override
    public synchronized BaseManager connect() throws IOException {
        if (state != State.INITIAL) throw new IllegalStateException("manager is " + state.name().toLowerCase());
        if (requested == null) throw new IllegalStateException("connect() needs the server's address");
        String a = Addresses.format(requested);
        Session s;
        try {
            if (python) {
                s = PySession.connect(requested, authkey, typeid -> {
                    TypeSpec spec = registry.get(typeid);
                    return spec == null ? null : spec.kind();
                });
            } else {
                s = ClientSession.of(a, authkey, codec);
                s.call(0, "dummy");
                ClientSession.rememberKey(a, authkey);
            }
        } catch (ManagerAuthenticationException e) {
            throw (AuthenticationException) e.getCause();
        }
        address = a;
        session = s;
        state = State.CONNECTED;
        return this;
    }

    @Override
    public Server getServer() {
        return new Server(registry, requested, authkey, codec);
    }

    @Override
    public void shutdown() {
        Session s;
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
        synchronized (this) {
            if (launcherClosed) return;
            launcherClosed = true;
        }
        launcher.close();
    }

    private boolean launcherClosed;

    @Override
    public void close() { shutdown(); }

    // ------------------------------------------------------------------ use

    @Override
    public synchronized String address() { return address; }

    @Override
    public byte[] authkey() { return authkey.clone(); }

    @Override
    public synchronized BaseProcess process() { return process; }

    @Override
    public BaseProxy create(String typeid, Object... args) {
        TypeSpec spec = registry.get(typeid);
        if (spec != null && !spec.createMethod()) throw new IllegalArgumentException("typeid '" + typeid + "' was registered without a create method");
        Object[] a = new Object[args.length + 1];
        a[0] = typeid;
        System.arraycopy(args, 0, a, 1, args.length);
        return (BaseProxy) session().call(0, "create", a);
    }

    @Override
    public int numberOfObjects() { return (Integer) session().call(0, "numberOfObjects"); }

    @Override
    public String debugInfo() { return (String) session().call(0, "debugInfo"); }

    Session session() {
        Session s = session;
        if (s == null) throw new IllegalStateException("manager is not started or connected");
        return s;
    }

    /** Whether this is a client of a CPython manager. */
    final boolean isPython() { return python; }

    /** The API type's name, for the server process's name and {@code toString}. */
    String typeName() { return "BaseManager"; }

    @Override
    public String toString() { return typeName() + "(" + Objects.requireNonNullElse(address, "not started") + ")"; }
}
