package io.multiprocessing4j.distributed;

/** The server refused the context's user name or password (Redis {@code WRONGPASS} / {@code NOAUTH}). */
public class ServerAuthenticationException extends ServerUnavailableException {
    public ServerAuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
