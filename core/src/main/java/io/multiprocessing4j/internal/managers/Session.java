package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.managers.ManagerUnreachableException;
import io.multiprocessing4j.managers.RemoteError;

/**
 * What a proxy's calls go through: a client's connections to one manager, in the Java
 * protocol ({@link ClientSession}) or CPython's ({@link PySession}). Methods are named and
 * take arguments as the Java server's operations do; object id 0 is the server itself.
 * Thread-safe.
 */
abstract sealed class Session permits ClientSession, PySession {
    final String address;
    final byte[] authkey;
    private volatile ManagerUnreachableException dead;

    Session(String address, byte[] authkey) {
        this.address = address;
        this.authkey = authkey.clone();
    }

    /**
     * Calls {@code method} of object {@code id} (0: the server) and returns its result.
     *
     * @throws ManagerUnreachableException when the server is gone
     * @throws RemoteError when the server refused the request or could not encode the result
     * @throws Exception what the referent's method threw
     */
    abstract Object callChecked(long id, String method, Object... args) throws Exception;

    /** {@link #callChecked}, with a checked exception of the referent wrapped in {@link RemoteError}. */
    final Object call(long id, String method, Object... args) {
        try {
            return callChecked(id, method, args);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new RemoteError(method + "() failed on the manager at " + address + ": " + e, e);
        }
    }

    /** {@link #call} for one bounded slice of a blocking method; an interrupt does not cut it short (the status is kept). */
    abstract Object callThrough(long id, String method, Object... args);

    /** Whether the server was found gone (or this session closed). */
    final boolean isDead() { return dead != null; }

    /** Closes every connection; later calls fail with {@link ManagerUnreachableException}. */
    final void close() {
        markDead(new java.io.IOException("the manager was shut down"));
        closeConnections();
    }

    /** Closes what the subclass holds; called once the session is dead. */
    abstract void closeConnections();

    /** Fails a call when the session is dead, with the cause that killed it. */
    final void checkAlive() {
        ManagerUnreachableException d = dead;
        if (d != null) throw new ManagerUnreachableException(address, d.getCause());
    }

    /** The session is dead of {@code cause} (the first cause stays): closes it and returns what the caller throws. */
    final ManagerUnreachableException broken(Exception cause) {
        markDead(cause);
        closeConnections();
        return new ManagerUnreachableException(address, cause);
    }

    private synchronized void markDead(Exception cause) {
        if (dead == null) dead = new ManagerUnreachableException(address, cause);
    }
}
