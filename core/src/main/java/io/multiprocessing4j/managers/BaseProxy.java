package io.multiprocessing4j.managers;

import java.io.Serializable;
import java.util.List;

/**
 * A reference to an object that lives in a manager's server: Python's {@code BaseProxy}.
 * Each method call is one request to the server; what comes back is a copy, and a mutable
 * container in it ({@code List}, {@code Map}, {@code Set}) refuses changes, where Python
 * silently changes a copy: use a nested proxy or {@code compute} to change it.
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
 * later call saw that change. Every method may throw {@link ManagerUnreachableException}
 * when the server is gone, {@link RemoteError} when the server refused the call, and
 * {@link IllegalStateException} once this proxy is closed.
 */
public interface BaseProxy extends Serializable, AutoCloseable {

    /** A copy of the referent, in one call: Python's {@code _getvalue()}. */
    Object referentCopy();

    /** The typeid the referent was registered under. */
    String typeid();

    /** The manager's address ({@code unix:/path} or {@code tcp:host:port}). */
    String address();

    /** The names of the methods the server calls on the referent. */
    List<String> exposed();

    /**
     * Drops this proxy's reference on the server. Idempotent; other proxies of the object stay
     * usable. A queue's proxy follows {@link io.multiprocessing4j.queues.Queue#close()}
     * instead: its view closes, and its reference goes when it is garbage-collected.
     */
    @Override
    void close();

    /** Whether {@link #close()} was called. */
    boolean isClosed();

    /** Python's repr: {@code <DictProxy object, typeid 'dict' at unix:/...#3>}. */
    String repr();
}
