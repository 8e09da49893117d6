package io.multiprocessing4j.connection;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * Python's {@code multiprocessing.connection.Client}: connects to a {@link Listener} (Java
 * or CPython) and, given an authkey, runs the mutual handshake (answer, then deliver).
 *
 * <pre>{@code
 * try (SocketConnection c = Client.connect(new InetSocketAddress("localhost", 6000), key)) {
 *     c.sendBytes("hello".getBytes());
 * }
 * }</pre>
 */
public final class Client {
    private Client() {}

    /** Connects to {@code address} (TCP or Unix-domain) without authentication. */
    public static SocketConnection connect(SocketAddress address) throws IOException {
        return connect(address, null);
    }

    /**
     * Connects to {@code address} and, when {@code authkey} is not null (empty included),
     * authenticates both ways.
     *
     * @throws io.multiprocessing4j.connection.AuthenticationException "digest sent was rejected" when the
     *         listener refused our key, "digest received was wrong" when it failed to prove its own
     */
    public static SocketConnection connect(SocketAddress address, byte[] authkey) throws IOException {
        if (!(address instanceof InetSocketAddress) && !(address instanceof UnixDomainSocketAddress)) {
            throw new IllegalArgumentException("unsupported address: " + address);
        }
        SocketConnection c = SocketConnection.open(address);
        if (authkey != null) {
            try {
                Auth.answerChallenge(c, authkey);
                Auth.deliverChallenge(c, authkey);
            } catch (IOException | RuntimeException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }
}
