package io.multiprocessing4j.managers;

import java.io.Serial;

/**
 * A proxy or a manager could not connect because the server refused its authkey (or failed
 * to prove its own); the cause is the {@link io.multiprocessing4j.connection.AuthenticationException}.
 * Unchecked, where {@link BaseManager#connect()} throws the checked one itself.
 */
public class ManagerAuthenticationException extends ManagerUnreachableException {
    @Serial private static final long serialVersionUID = 1L;

    public ManagerAuthenticationException(String address, io.multiprocessing4j.connection.AuthenticationException cause) {
        super(address, cause);
    }
}
