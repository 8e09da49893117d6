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
 * A reference to an object that lives in a manager's server: Python's {@code BaseProxy}.
 * Each method call is one request to the server; what comes back is a copy, and a mutable
 * container in it ({@code List}, {@code Map}, {@code Set}) refuses changes (see
 * {@link #invoke}), where Python silently changes a copy.
 *
 * <p>Each proxy holds one reference on the server. {@link #close()} drops it, and so does
 * the garbage collector when the proxy becomes unreachable; the server frees the object
 * when no proxy in any process refers to it. A proxy passed to a child, put in a queue or
 * stored in a managed container travels as its token and is rebuilt, with a reference of
 * its own, where it arrives. (One caveat, as in Python: the sender must keep its proxy
 * until the receiver has rebuilt its own, or the object may be freed in between.)
 *
 * <p>Calls from many threads are fine; each borrows a channel for the duration of the call.
 * A call waits for the server's answer for as long as the method runs on the server; if the
 * server dies meanwhile it fails with {@link ManagerUnreachableException} within about 100 ms.
 * What a thread did before a call that changed the object is visible to any thread whose
 * later call saw that change.
 */
public abstract class ManagedObject implements BaseProxy {
    @Serial private static final long serialVersionUID = 1L;
    private static final Cleaner CLEANER = Cleaner.create(r -> Thread.ofPlatform().daemon().name("mp4j-proxy-cleaner").unstarted(r));

    final transient Token token;
    final transient ClientSession session;
    private final transient Cleaner.Cleanable cleanable;
    private transient volatile boolean closed;

    ManagedObject(Token token, ClientSession session) {
        this.token = token;
        this.session = session;
        this.cleanable = CLEANER.register(this, new Decref(session, token.id));
    }

    private record Decref(ClientSession session, long id) implements Runnable {
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
    public Object getValue() { return invoke("#getvalue"); }

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

    public final boolean isClosed() { return closed; }

    /** A proxy travels as its token (a private one would not be inherited by the proxy classes). */
    @Serial
    protected final Object writeReplace() {
        checkOpen();
        return token.forTransfer(session.authkey);
    }

    /** Python's repr: {@code <DictProxy object, typeid 'dict' at unix:/...#3>}. */
    public final String repr() {
        return "<" + getClass().getSimpleName() + " object, typeid '" + token.typeid + "' at " + token.address + "#" + token.id + ">";
    }

    /** The referent's own {@code toString()}, computed on the server. */
    @Override
    public String toString() { return (String) invoke("#str"); }
}
