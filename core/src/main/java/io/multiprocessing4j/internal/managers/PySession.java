package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.connection.AuthenticationException;
import io.multiprocessing4j.connection.Client;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.managers.ManagerAuthenticationException;
import io.multiprocessing4j.managers.RemoteError;
import io.multiprocessing4j.serial.PickleCodec;
import io.multiprocessing4j.serial.PythonGlobal;
import io.multiprocessing4j.serial.PythonObject;
import io.multiprocessing4j.serial.Tuple;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A Java client's connections to a manager that speaks CPython's protocol (a
 * {@code multiprocessing.managers} server in {@code python3}, or a Java server, which
 * answers it too). As CPython's own client does, each server call opens a connection of its
 * own, and each thread makes its method calls on a connection of its own (after
 * {@code accept_connection}), so that the server sees one caller per thread: an
 * {@code RLock} is then held by the thread that took it. {@link PyClientOps} turns the Java
 * proxies' operations into Python's methods.
 *
 * <p>Proxies stored in the manager's containers come back as proxies: the codec decodes
 * {@code RebuildProxy} to a proxy of this session, which takes its own reference; a proxy of
 * this session in an argument is written as {@code RebuildProxy}, which CPython's server
 * turns into its referent. Thread-safe.
 */
final class PySession extends Session {
    private final SocketAddress socketAddress;
    private final Function<String, String> kindOf;
    private final PickleCodec codec;
    private final Map<Long, String> kinds = new ConcurrentHashMap<>();
    private final ThreadLocal<Connection> channel = new ThreadLocal<>();
    private final Set<Connection> all = ConcurrentHashMap.newKeySet();

    /**
     * Connects to the manager at {@code address} (its reply to {@code dummy} proves it speaks
     * the protocol and holds {@code authkey}).
     *
     * @param kindOf the proxy kind the client registered for a typeid, or null
     */
    static PySession connect(SocketAddress address, byte[] authkey, Function<String, String> kindOf) {
        PySession s = new PySession(address, authkey, kindOf);
        s.serverCall("dummy", Tuple.of(), Map.of());
        return s;
    }

    private PySession(SocketAddress address, byte[] authkey, Function<String, String> kindOf) {
        super(Addresses.format(address), authkey);
        this.socketAddress = address;
        this.kindOf = kindOf;
        this.codec = PickleCodec.standard()
                .withDecoder("multiprocessing.managers", "RebuildProxy", this::rebuild)
                .withEncoder(ManagedObject.class, this::rebuildProxy);
    }

    // ------------------------------------------------------------------ Session

    @Override
    Object callChecked(long id, String method, Object... args) throws Exception {
        if (id == 0) return PyClientOps.server(this, method, args);
        String kind = kinds.get(id);
        if (kind == null) throw new RemoteError("no proxy of object " + Long.toHexString(id) + " in this session");
        return PyClientOps.call(this, kind, id, method, args);
    }

    @Override
    Object callThrough(long id, String method, Object... args) {
        boolean interrupted = Thread.interrupted(); // a socket read is not cut short: the server may have acted
        try {
            return call(id, method, args);
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    @Override
    void closeConnections() {
        for (Connection c : all) Server.quietClose(c);
        all.clear();
    }

    // ------------------------------------------------------------------ the protocol

    /** A server call ({@code create}, {@code incref}, ...) on a connection of its own. */
    Object serverCall(String method, Tuple args, Map<Object, Object> kwds) {
        Connection c = open();
        try {
            return exchange(c, Tuple.of(null, method, args, kwds), method);
        } finally {
            all.remove(c);
            Server.quietClose(c);
        }
    }

    /** {@code method(*args, **kwds)} of object {@code id}, on this thread's connection. */
    Object method(long id, String method, Tuple args, Map<Object, Object> kwds) {
        Connection c = channel.get();
        if (c == null || c.isClosed()) {
            c = open();
            exchange(c, Tuple.of(null, "accept_connection", Tuple.of(Thread.currentThread().getName()), Map.of()), "accept_connection");
            channel.set(c);
        }
        return exchange(c, Tuple.of(Long.toHexString(id), method, args, kwds), method);
    }

    private Object exchange(Connection c, Tuple request, String method) {
        checkAlive();
        byte[] bytes;
        try {
            bytes = codec.encode(request);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot send to the manager at " + address + ": " + e.getMessage(), e);
        }
        byte[] reply;
        try {
            c.sendBytes(bytes);
            reply = c.recvBytes();
        } catch (InterruptedIOException e) {
            drop(c); // out of step with the server
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted while waiting for the manager at " + address);
        } catch (IOException | RuntimeException e) {
            throw broken(e);
        }
        Object r;
        try {
            r = codec.decode(reply);
        } catch (IOException | RuntimeException e) {
            throw new RemoteError("cannot decode the reply to " + method + "() from the manager at " + address + ": " + e, e);
        }
        if (!(r instanceof List<?> kp) || kp.size() != 2 || !(kp.get(0) instanceof String kind)) {
            throw new RemoteError("the manager at " + address + " sent a reply that is not (kind, payload)");
        }
        Object payload = kp.get(1);
        return switch (kind) {
            case "#RETURN" -> payload;
            case "#ERROR" -> throw PyExceptions.toJava(payload);
            case "#TRACEBACK" -> throw new RemoteError(method + "() on the manager at " + address + ":\n" + payload);
            case "#UNSERIALIZABLE" -> throw new RemoteError("Unserializable message: " + payload);
            case "#PROXY" -> {
                List<?> et = (List<?>) payload;
                yield proxy((PythonObject) et.get(1), stringList(et.get(0)), null);
            }
            default -> throw new RemoteError("the manager at " + address + " sent a reply of unknown kind " + kind);
        };
    }

    private Connection open() {
        checkAlive();
        Connection c;
        try {
            c = Client.connect(socketAddress, authkey);
        } catch (AuthenticationException e) {
            throw new ManagerAuthenticationException(address, e);
        } catch (IOException e) {
            throw broken(e);
        }
        all.add(c);
        if (isDead()) {
            drop(c);
            checkAlive();
        }
        return c;
    }

    private void drop(Connection c) {
        all.remove(c);
        if (channel.get() == c) channel.remove();
        Server.quietClose(c);
    }

    // ------------------------------------------------------------------ proxies

    /** The proxy of a CPython {@code Token} whose one reference this client now holds. */
    ManagedObject proxy(PythonObject token, List<String> exposed, String proxyClass) {
        List<?> state = (List<?>) token.state();
        String typeid = (String) state.get(0);
        long id = Long.parseUnsignedLong((String) state.get(2), 16);
        String kind = PyClientOps.kind(typeid, kindOf.apply(typeid), proxyClass);
        kinds.put(id, kind);
        return Proxies.make(new Token(typeid, address, id, kind, exposed, true, null), this);
    }

    /** {@code RebuildProxy(cls, token, serializer, kwds)} decoded: a proxy that takes a reference of its own. */
    private Object rebuild(PythonObject call) {
        List<Object> a = call.args();
        if (a.size() < 2 || !(a.get(1) instanceof PythonObject token) || !(token.state() instanceof List<?> state) || state.size() != 3) {
            return call; // not a proxy this client can rebuild: kept as data
        }
        if (!sameServer(state.get(1))) return call;
        serverCall("incref", Tuple.of(state.get(2)), Map.of());
        String cls = a.get(0) instanceof PythonGlobal g ? g.name() : null;
        List<String> exposed = a.size() > 3 && a.get(3) instanceof Map<?, ?> kw && kw.get("exposed") != null ? stringList(kw.get("exposed")) : List.of();
        return proxy(token, exposed, cls);
    }

    private boolean sameServer(Object pyAddress) {
        if (pyAddress instanceof String path) return socketAddress instanceof UnixDomainSocketAddress u && u.getPath().toString().equals(path);
        return pyAddress instanceof List<?> hp && hp.size() == 2 && socketAddress instanceof InetSocketAddress i
                && i.getPort() == ((Number) hp.get(1)).intValue();
    }

    /** A proxy of this session as an argument: {@code RebuildProxy}, which the server resolves to its referent. */
    private Object rebuildProxy(ManagedObject p) {
        if (p.session != this) throw new IllegalArgumentException("a proxy of another manager cannot be sent to the manager at " + address);
        PythonObject token = PythonObject.create("multiprocessing.managers", "Token", Tuple.of(),
                Tuple.of(p.token.typeid, pythonAddress(), Long.toHexString(p.token.id)));
        return PythonObject.call("multiprocessing.managers", "RebuildProxy",
                new PythonGlobal("multiprocessing.managers", PyClientOps.proxyClass(p.token.kind)), token, "pickle", new java.util.HashMap<>()); // its own dict: CPython writes into it
    }

    private Object pythonAddress() {
        if (socketAddress instanceof InetSocketAddress i) return Tuple.of(i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString(), i.getPort());
        return ((UnixDomainSocketAddress) socketAddress).getPath().toString();
    }

    static List<String> stringList(Object o) {
        return ((List<?>) o).stream().map(String::valueOf).distinct().toList();
    }
}
