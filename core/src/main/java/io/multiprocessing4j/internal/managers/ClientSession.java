package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.managers.RemoteError;
import io.multiprocessing4j.managers.ManagerUnreachableException;
import io.multiprocessing4j.managers.ManagerAuthenticationException;
import io.multiprocessing4j.connection.Client;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.internal.os.ProcessIdentity;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.serial.Codec;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * This process's link to one manager's server: a control connection (a socket, kept open:
 * the server drops this process's references when it closes) and a pool of channels that
 * calls borrow one at a time. On this machine (a Unix socket or a loopback address) the
 * channels are shared-memory pipes the server hands over the control connection; to a
 * remote server they are more authenticated sockets. One session per address and process.
 *
 * <p>Once a call finds the server gone (end of stream, reset, refused), the session is dead:
 * that call and every later one fail with {@link ManagerUnreachableException}. Thread-safe.
 */
final class ClientSession extends Session {
    private static final Map<String, ClientSession> SESSIONS = new ConcurrentHashMap<>();
    private static final Map<String, byte[]> KEYS = new ConcurrentHashMap<>();

    final Wire wire;
    private final SocketAddress socketAddress;
    private final boolean pipes;
    private final Connection control;
    private final long sessionId;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private final Set<Connection> all = ConcurrentHashMap.newKeySet();

    private ClientSession(String address, byte[] authkey, Codec codec) {
        super(address, authkey);
        this.wire = new Wire(codec);
        this.socketAddress = Addresses.parse(address);
        this.pipes = Addresses.isLocal(socketAddress) && !Boolean.getBoolean("mp4j.manager.sockets");
        try {
            control = Client.connect(socketAddress, this.authkey);
        } catch (IOException e) {
            if (e instanceof io.multiprocessing4j.connection.AuthenticationException a) throw new ManagerAuthenticationException(address, a);
            throw new ManagerUnreachableException(address, e);
        }
        sessionId = ((Number) controlCall("hello", ProcessIdentity.current().pid())).longValue();
        // The first channel comes with the session: a thread that calls alone then always finds
        // one idle, and the compiled call path has no first-call branch to fall back from.
        Connection first;
        try {
            first = open();
        } catch (RuntimeException e) {
            Server.quietClose(control);
            throw e;
        }
        all.add(first);
        idle.push(first);
    }

    /** Remembers the key of a manager this process started or connected to, for tokens that arrive without one. */
    static void rememberKey(String address, byte[] key) { KEYS.put(address, key.clone()); }

    /**
     * The live session with the manager at {@code address} under {@code authkey}, made when
     * there is none (a different key is a different session: it must pass the handshake itself).
     */
    static ClientSession of(String address, byte[] authkey, Codec codec) {
        String name = name(address, authkey);
        for (;;) {
            ClientSession s = SESSIONS.computeIfAbsent(name, n -> new ClientSession(address, authkey, codec));
            if (!s.isDead()) return s;
            SESSIONS.remove(name, s); // a server that came back at the same address
        }
    }

    private static String name(String address, byte[] key) { return address + "#" + java.util.HexFormat.of().formatHex(key); }

    /**
     * The proxy a decoded token stands for. A token the server gave to {@code decoding}
     * (counted for it already) is adopted; any other takes a reference of its own.
     */
    static Object resolve(Token t, ClientSession decoding) throws ObjectStreamException {
        try {
            if (t.given && decoding != null && decoding.address.equals(t.address)) return Proxies.make(t, decoding);
            byte[] key = t.authkey != null ? t.authkey : KEYS.getOrDefault(t.address, BaseProcess.current().authkey());
            ClientSession s = of(t.address, key, Codec.defaultCodec());
            s.call(0, "incref", t.id);
            return Proxies.make(t, s);
        } catch (RuntimeException e) {
            throw (InvalidObjectException) new InvalidObjectException("cannot rebuild the proxy of " + t + ": " + e.getMessage()).initCause(e);
        }
    }

    /**
     * Calls {@code method} of object {@code id} (0: the server) and returns its result.
     *
     * @throws ManagerUnreachableException when the server is gone
     * @throws RemoteError when the server refused the request or could not encode the result
     * @throws IllegalArgumentException when an argument cannot be encoded (the message names its class)
     * @throws CancellationException when the thread was interrupted while it waited (its
     *         interrupt flag is set again)
     * @throws Exception what the referent's method threw, as itself
     */
    @Override
    Object callChecked(long id, String method, Object... args) throws Exception {
        byte[] request;
        try {
            request = wire.request(id, method, args);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot send to the manager at " + address + ": " + e.getMessage(), e);
        }
        return answer(exchange(request), method);
    }

    /**
     * {@link #call} for a bounded wait on the server (a slice of a blocking method): an
     * interrupt does not cut the exchange short, since the server may have taken a lock or an
     * item for this thread by then; the interrupt status is kept for the caller to act on.
     *
     * @throws CancellationException when an interrupt cut a socket's send in the middle of a
     *         large request (nothing was done; the interrupt status is set)
     */
    @Override
    Object callThrough(long id, String method, Object... args) {
        boolean interrupted = Thread.interrupted();
        try {
            byte[] request;
            try {
                request = wire.request(id, method, args);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot send to the manager at " + address + ": " + e.getMessage(), e);
            }
            checkAlive();
            Connection ch = take();
            boolean reuse = false;
            byte[] reply;
            try {
                for (;;) { // a send interrupted before its first byte sent nothing; a receive resumes
                    try {
                        ch.sendBytes(request);
                        break;
                    } catch (InterruptedIOException e) {
                        interrupted |= Thread.interrupted();
                        if (e.bytesTransferred > 0) { // a socket's half-sent request: the server drops the channel unanswered
                            interrupted = true;
                            throw new Cancelled();
                        }
                    }
                }
                for (;;) {
                    try {
                        reply = ch.recvBytes();
                        break;
                    } catch (InterruptedIOException e) {
                        interrupted |= Thread.interrupted();
                    }
                }
                reuse = true;
            } catch (Cancelled e) {
                throw new CancellationException("interrupted while sending to the manager at " + address);
            } catch (IOException | RuntimeException e) {
                throw broken(e);
            } finally {
                if (reuse) idle.push(ch);
                else discard(ch);
            }
            return answer(reply, method);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new RemoteError(method + "() failed on the manager at " + address + ": " + e, e);
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** A request cut in the middle: the channel goes, the session stays. */
    private static final class Cancelled extends RuntimeException {
        Cancelled() { super(null, null, false, false); }
    }

    private byte[] exchange(byte[] request) {
        checkAlive();
        Connection ch = take();
        boolean reuse = false;
        try {
            ch.sendBytes(request);
            byte[] reply = ch.recvBytes();
            reuse = true;
            return reply;
        } catch (InterruptedIOException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for the manager at " + address);
        } catch (IOException | RuntimeException e) {
            throw broken(e);
        } finally {
            if (reuse) idle.push(ch);
            else discard(ch); // out of step with the server, or broken
        }
    }

    private Object answer(byte[] bytes, String method) throws Exception {
        Wire.Reply r;
        Token.Scope previous = Token.SCOPE.get();
        Token.SCOPE.set(t -> resolve(t, this));
        try {
            r = wire.reply(bytes);
        } catch (IOException e) {
            throw new RemoteError("cannot decode the reply to " + method + "() from the manager at " + address + ": " + e, e);
        } finally {
            Token.SCOPE.set(previous);
        }
        return switch (r.kind()) {
            case Wire.RETURN -> r.payload();
            case Wire.ERROR -> throw local((Throwable) r.payload());
            default -> throw new RemoteError(method + "() on the manager at " + address + ": " + r.payload());
        };
    }

    /** The referent's exception, with this call's stack appended below the server's. */
    private static Exception local(Throwable t) {
        StackTraceElement[] remote = t.getStackTrace(), here = new Throwable().getStackTrace();
        StackTraceElement[] both = new StackTraceElement[remote.length + here.length];
        System.arraycopy(remote, 0, both, 0, remote.length);
        System.arraycopy(here, 0, both, remote.length, here.length);
        t.setStackTrace(both);
        if (t instanceof Error e) throw e;
        return (Exception) t;
    }

    private Connection take() {
        Connection c = idle.pollFirst();
        if (c != null) return c;
        c = open();
        all.add(c);
        if (isDead()) discard(c);
        checkAlive();
        return c;
    }

    private Connection open() {
        if (pipes) {
            try {
                return (Connection) controlCall("pipe");
            } catch (RemoteError e) {
                // the server's memory cannot be attached here (another machine behind a tunnel): sockets
            }
        }
        Connection s;
        try {
            s = Client.connect(socketAddress, authkey);
        } catch (IOException e) {
            throw broken(e);
        }
        try {
            s.sendBytes(wire.request(0, "join", new Object[] {sessionId}));
            answer(s.recvBytes(), "join");
            return s;
        } catch (Exception e) {
            Server.quietClose(s);
            throw e instanceof IOException io ? broken(io) : new RemoteError("cannot open a channel: " + e, e);
        }
    }

    private Object controlCall(String method, Object... args) {
        byte[] reply;
        synchronized (control) {
            checkAlive();
            try {
                control.sendBytes(wire.request(0, method, args));
                reply = control.recvBytes();
            } catch (IOException e) {
                throw broken(e);
            }
        }
        try {
            return answer(reply, method);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new RemoteError(method + "() failed on the manager at " + address + ": " + e, e);
        }
    }

    private void discard(Connection c) {
        all.remove(c);
        Server.quietClose(c);
    }

    @Override
    void closeConnections() {
        SESSIONS.remove(name(address, authkey), this);
        for (Connection c; (c = idle.pollFirst()) != null; ) discard(c);
        for (Connection c : all) discard(c);
        Server.quietClose(control);
    }
}
