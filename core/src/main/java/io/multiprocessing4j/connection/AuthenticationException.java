package io.multiprocessing4j.connection;

/** Python's {@code AuthenticationError}: the peer did not prove it holds the authkey, or refused our proof. */
public class AuthenticationException extends ProcessError {
    public AuthenticationException(String message) { super(message); }
}
