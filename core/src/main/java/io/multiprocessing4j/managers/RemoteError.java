package io.multiprocessing4j.managers;

import java.io.Serial;

/**
 * Python's {@code RemoteError}: the manager's server refused a request or could not answer
 * it (an unknown typeid or object, a method that is not exposed, a result it cannot encode)
 * and sent back its description; the server goes on serving. Also wraps a checked exception
 * of a referent's method called through a proxy whose Java signature cannot declare it.
 * Exceptions that a referent's method throws otherwise reach the caller as themselves.
 */
public class RemoteError extends RuntimeException {
    @Serial private static final long serialVersionUID = 1L;

    public RemoteError(String message) { super(message); }

    public RemoteError(String message, Throwable cause) { super(message, cause); }
}
