package io.multiprocessing4j.process;

import io.multiprocessing4j.connection.ProcessError;

import java.io.Serial;

/**
 * Stands in for an exception thrown in another process that could not be sent back as
 * itself (its class, or something it holds, is not serializable): it carries the original's
 * class name and message, and the original's stack trace as its own. Its cause is made the
 * same way from the original's cause.
 */
public class RemoteException extends ProcessError {
    @Serial private static final long serialVersionUID = 1L;
    private final String remoteClass;

    public RemoteException(String remoteClass, String message) {
        super(message == null ? remoteClass : remoteClass + ": " + message);
        this.remoteClass = remoteClass;
    }

    /** The name of the class of the exception that was thrown remotely. */
    public String remoteClass() { return remoteClass; }

    /** A copy of {@code t} made only of this class: class names, messages and stack traces. */
    public static RemoteException of(Throwable t) { return of(t, 32); }

    private static RemoteException of(Throwable t, int depth) {
        RemoteException r = new RemoteException(t.getClass().getName(), t.getMessage());
        r.setStackTrace(t.getStackTrace());
        if (t.getCause() != null && t.getCause() != t && depth > 0) r.initCause(of(t.getCause(), depth - 1));
        return r;
    }
}
