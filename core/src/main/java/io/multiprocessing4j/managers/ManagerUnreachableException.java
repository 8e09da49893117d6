package io.multiprocessing4j.managers;

import java.io.Serial;

/**
 * The manager's server cannot be reached: it was shut down, killed, or never listened at
 * that address. Every call of a proxy, waiting or new, fails with this once the server is
 * gone (a killed server is noticed within about 100 ms by a call waiting on a shared-memory
 * channel, at once by one on a socket). Unchecked, since proxies implement {@code Map} and
 * {@code List}; the message names the manager's address.
 */
public class ManagerUnreachableException extends IllegalStateException {
    @Serial private static final long serialVersionUID = 1L;
    private final String address;

    public ManagerUnreachableException(String address, Throwable cause) {
        super("manager at " + address + " is unreachable" + (cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
        this.address = address;
    }

    /** The address of the manager that cannot be reached. */
    public String address() { return address; }
}
