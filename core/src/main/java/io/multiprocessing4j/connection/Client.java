package io.multiprocessing4j.connection;

import io.multiprocessing4j.serial.Codec;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * Python's {@code multiprocessing.connection.Client}: connects to a {@link Listener} (Java
 * or CPython) and, given an authkey, runs the mutual handshake (answer, then deliver).
 *
 * <p>The {@link Connection}s of a client and a listener speak Python's socket framing byte
 * for byte, so either end may be a CPython process: {@link Connection#sendBytes} and
 * {@link Connection#recvBytes} carry raw bytes ({@code send_bytes}/{@code recv_bytes} on the
 * Python side), while {@link Connection#send}/{@link Connection#recv} carry the bytes of the
 * connection's codec: the default codec's unless one is given, or pickle with
 * {@link Codec#pickle()}, for a Python peer's {@code conn.send(obj)}/{@code conn.recv()}. A message longer than a Java array holds is refused with an
 * {@link IOException} ("bad message length"). An interrupted receive keeps what it read
 * and the next one resumes the message; a send interrupted in the middle of a message
 * leaves the connection no longer writable. {@link Connection#poll} is true once at least
 * one byte of a message, or the end of the stream, has arrived.
 *
 * <pre>{@code
 * try (Connection c = Client.connect(new InetSocketAddress("localhost", 6000), key)) {
 *     c.sendBytes("hello".getBytes());
 * }
 * try (Connection c = Client.connect(new InetSocketAddress("localhost", 6000), key, Codec.pickle())) {
 *     c.send(Map.of("answer", 42));   // Python's conn.recv() gets {'answer': 42}
 * }
 * }</pre>
 */
public final class Client {
    private Client() {}

    /** Connects to {@code address} (TCP or Unix-domain) without authentication. */
    public static Connection connect(SocketAddress address) throws IOException {
        return connect(address, null);
    }

    /**
     * Connects to {@code address} and, when {@code authkey} is not null (empty included),
     * authenticates both ways.
     *
     * @throws AuthenticationException "digest sent was rejected" when the
     *         listener refused our key, "digest received was wrong" when it failed to prove its own
     */
    public static Connection connect(SocketAddress address, byte[] authkey) throws IOException {
        return connect(address, authkey, Codec.defaultCodec());
    }

    /**
     * As {@link #connect(SocketAddress, byte[])}, with the codec the connection's
     * {@link Connection#send}/{@link Connection#recv} use ({@link Codec#pickle()} for a
     * CPython peer's {@code conn.send}/{@code conn.recv}).
     */
    public static Connection connect(SocketAddress address, byte[] authkey, Codec codec) throws IOException {
        java.util.Objects.requireNonNull(codec, "codec");
        if (!(address instanceof InetSocketAddress) && !(address instanceof UnixDomainSocketAddress)) {
            throw new IllegalArgumentException("unsupported address: " + address);
        }
        SocketConnection c = SocketConnection.open(address, codec);
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
