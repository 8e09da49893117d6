package io.multiprocessing4j.distributed;

/**
 * The server did not answer within the context's timeout (it is down, unreachable, or
 * refused the credentials), so the call did not complete. Whether a call that changes state
 * took effect before the server went away is unknown. The context stays usable: once the
 * server is back, new calls work. Unchecked, as {@code managers.ManagerUnreachableException}.
 */
public class ServerUnavailableException extends IllegalStateException {
    public ServerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
