package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.managers.RemoteError;
import io.multiprocessing4j.managers.ManagerUnreachableException;
import io.multiprocessing4j.managers.DictProxy;
import io.multiprocessing4j.managers.BaseProxy;
import java.io.Serial;
import java.io.Serializable;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.List;

/**
 * The client side of every proxy: its token, the session its calls go through, and the
 * {@link java.lang.ref.Cleaner} that drops its reference on the server when it is closed or
 * collected. A proxy travels as its token ({@link #writeReplace}).
 */
public abstract class ManagedObject implements BaseProxy {
    @Serial private static final long serialVersionUID = 1L;
    private static final Cleaner CLEANER = Cleaner.create(r -> Thread.ofPlatform().daemon().name("mp4j-proxy-cleaner").unstarted(r));

    final transient Token token;
    final transient Session session;
    private final transient Cleaner.Cleanable cleanable;
    private transient volatile boolean closed;

    ManagedObject(Token token, Session session) {
        this.token = token;
        this.session = session;
        this.cleanable = CLEANER.register(this, new Decref(session, token.id));
    }

    private record Decref(Session session, long id) implements Runnable {
        @Override
        public void run() {
            if (session.isDead()) return;
            try {
                session.call(0, "decref", id);
            } catch (RuntimeException ignored) {
                // the server is gone, and with it the reference
            }
        }
    }

    /**
     * Calls {@code method} of the referent with {@code args} on the server and returns a
     * copy of the result; a {@code List}, {@code Map} or {@code Set} in it is read-only.
     *
     * @throws ManagerUnreachableException when the server is gone
     * @throws RemoteError when the server refused (a method not exposed) or cannot encode the result
     * @throws IllegalStateException when this proxy is closed
     */
    final Object invoke(String method, Object... args) {
        checkOpen();
        try {
            return Frozen.freeze(session.call(token.id, method, args));
        } finally {
            Reference.reachabilityFence(this); // no decref while the call is under way
        }
    }

    /** {@link #invoke} without freezing the result: for results the proxy wraps itself. */
    final Object raw(String method, Object... args) {
        checkOpen();
        try {
            return session.call(token.id, method, args);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** {@link #raw} through {@link Session#callThrough}: for the slices of a blocking method. */
    final Object through(String method, Object... args) {
        checkOpen();
        try {
            return session.callThrough(token.id, method, args);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    final Object rawChecked(String method, Object... args) throws Exception {
        checkOpen();
        try {
            return session.callChecked(token.id, method, args);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("proxy of " + token + " is closed");
    }

    /** A copy of the referent: Python's {@code _getvalue()}. */
    public Object referentCopy() { return invoke("#getvalue"); }

    /** The typeid the referent was registered under. */
    public final String typeid() { return token.typeid; }

    /** The manager's address ({@code unix:/path} or {@code tcp:host:port}). */
    public final String address() { return token.address; }

    /** The names of the methods the server calls on the referent. */
    public final List<String> exposed() { return token.exposed; }

    /** Drops this proxy's reference on the server. Idempotent; other proxies of the object stay usable. */
    @Override
    public void close() {
        closed = true;
        cleanable.clean();
    }

    public boolean isClosed() { return closed; }

    /** A proxy travels as its token (a private one would not be inherited by the proxy classes). */
    @Serial
    protected final Object writeReplace() throws java.io.ObjectStreamException {
        checkOpen();
        if (session instanceof PySession) {
            throw new java.io.NotSerializableException("a proxy of the CPython manager at " + token.address + " does not travel between JVMs: connect to the manager there");
        }
        return token.forTransfer(session.authkey);
    }

    /** Python's repr: {@code <DictProxy object, typeid 'dict' at unix:/...#3>}. */
    public final String repr() {
        return "<" + getClass().getInterfaces()[0].getSimpleName() + " object, typeid '" + token.typeid + "' at " + token.address + "#" + token.id + ">";
    }

    /** The referent's own {@code toString()}, computed on the server. */
    @Override
    public String toString() { return (String) invoke("#str"); }
}
