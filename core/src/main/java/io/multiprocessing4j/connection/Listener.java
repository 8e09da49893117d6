package io.multiprocessing4j.connection;

import io.multiprocessing4j.internal.os.SocketDirs;
import io.multiprocessing4j.internal.os.Timeouts;
import io.multiprocessing4j.serial.Codec;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Python's {@code multiprocessing.connection.Listener}: a bound socket that hands out
 * {@link Connection}s over sockets (Python's framing: see {@link Client}), authenticated
 * when it has an authkey.
 *
 * <p>The address decides the family: an {@link InetSocketAddress} is TCP (port 0 picks a free
 * port; {@link #address()} tells which), a {@link UnixDomainSocketAddress} a Unix-domain
 * socket ({@code UnixDomainSocketAddress.of(path)}). With no address the listener binds a
 * Unix socket {@code listener-<hex>} in a fresh owner-only temp directory, both removed by
 * {@link #close()}. A Unix socket file the listener bound is removed on close, as in Python.
 * TCP listeners set {@code SO_REUSEADDR}, as Python's do.
 *
 * <p><b>authkey:</b> null means no authentication, any other value (even empty, as in
 * CPython 3.13) the mutual HMAC handshake of Python's {@code multiprocessing.connection} in {@link #accept()}. As in
 * Python, the listener does <em>not</em> fall back to the current process's authkey; pass
 * {@code BaseProcess.current().authkey()} to get the managers' behaviour. A connection is
 * returned only after its peer proved it holds the key, so nothing it sent has been decoded.
 *
 * <p><b>codec:</b> what the accepted connections' {@link Connection#send}/{@link Connection#recv}
 * carry: the default codec unless one is given. Give {@link Codec#pickle()} to exchange
 * objects with a CPython peer that uses {@code conn.send(obj)}/{@code conn.recv()}:
 * <pre>{@code
 * try (Listener l = new Listener(new InetSocketAddress("localhost", 6000), 1, key, Codec.pickle());
 *      Connection c = l.accept()) {
 *     Object fromPython = c.recv();          // e.g. a LinkedHashMap for a dict
 *     c.send(List.of("ok", 42));             // a list for Python
 * }
 * }</pre>
 *
 * <p>Waits happen in a selector: an interrupted {@link #accept()} throws
 * {@link InterruptedIOException} and the listener stays open; {@link #close()} from another
 * thread makes a waiting {@code accept} throw "listener is closed".
 */
public final class Listener implements AutoCloseable {

    /** Python's default backlog. */
    public static final int DEFAULT_BACKLOG = 1;

    private final ServerSocketChannel server;
    private final SocketAddress address;
    private final byte[] authkey;
    private final Codec codec;
    private final Path socketFile;  // a Unix socket file we bound, removed on close
    private final Path tempDir;     // the directory we made for it, or null
    private final Object lock = new Object();
    private Selector selector;
    private volatile boolean closed;
    private volatile SocketAddress lastAccepted;

    /** A listener on a fresh Unix socket, without authentication. */
    public Listener() throws IOException { this(null, DEFAULT_BACKLOG, null); }

    /** A listener on {@code address} (null: a fresh Unix socket), without authentication. */
    public Listener(SocketAddress address) throws IOException { this(address, DEFAULT_BACKLOG, null); }

    /** A listener on {@code address} (null: a fresh Unix socket) that authenticates with {@code authkey} unless it is null. */
    public Listener(SocketAddress address, byte[] authkey) throws IOException { this(address, DEFAULT_BACKLOG, authkey); }

    /**
     * A listener on {@code address} (null: a fresh Unix socket) with a queue of {@code backlog}
     * pending connections, authenticating with {@code authkey} unless it is null.
     *
     * @throws java.net.BindException when the address is in use
     * @throws IllegalArgumentException for an address that is neither TCP nor Unix-domain
     */
    public Listener(SocketAddress address, int backlog, byte[] authkey) throws IOException {
        this(address, backlog, authkey, Codec.defaultCodec());
    }

    /** A listener on {@code address} (null: a fresh Unix socket), authenticating with {@code authkey} unless it is null, whose connections carry {@code codec}'s bytes. */
    public Listener(SocketAddress address, byte[] authkey, Codec codec) throws IOException {
        this(address, DEFAULT_BACKLOG, authkey, codec);
    }

    /**
     * As {@link #Listener(SocketAddress, int, byte[])}, with the codec the accepted
     * connections' {@link Connection#send}/{@link Connection#recv} use ({@link Codec#pickle()}
     * for a CPython peer's {@code conn.send}/{@code conn.recv}).
     */
    public Listener(SocketAddress address, int backlog, byte[] authkey, Codec codec) throws IOException {
        this.codec = Objects.requireNonNull(codec, "codec");
        if (address != null && !(address instanceof InetSocketAddress) && !(address instanceof UnixDomainSocketAddress)) {
            throw new IllegalArgumentException("unsupported address family: " + address.getClass().getName());
        }
        if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address: " + inet);
        }
        this.authkey = authkey == null ? null : authkey.clone();
        Path dir = null;
        if (address == null) {
            dir = SocketDirs.create(); // owner-only, named after this process for the sweep
            address = UnixDomainSocketAddress.of(dir.resolve("listener-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt())));
        }
        ServerSocketChannel ch = null;
        try {
            if (address instanceof UnixDomainSocketAddress) {
                ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            } else {
                ch = ServerSocketChannel.open(((InetSocketAddress) address).getAddress() instanceof java.net.Inet6Address
                        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            }
            ch.bind(address, Math.max(1, backlog));
            ch.configureBlocking(false);
        } catch (IOException | RuntimeException e) {
            if (ch != null) ch.close();
            if (dir != null) Files.deleteIfExists(dir);
            throw e;
        }
        this.server = ch;
        this.tempDir = dir;
        this.address = ch.getLocalAddress();
        this.socketFile = this.address instanceof UnixDomainSocketAddress u ? u.getPath() : null;
    }

    /**
     * Waits for a connection, authenticates it when this listener has an authkey, and returns it.
     *
     * @throws IOException "listener is closed"
     * @throws AuthenticationException when the peer failed the handshake
     *         (its connection is then closed)
     * @throws InterruptedIOException when interrupted while waiting for a peer or for its handshake
     */
    public Connection accept() throws IOException {
        return accept(null);
    }

    /**
     * As {@link #accept()}, waiting at most {@code timeout} (null: for ever) for a peer to
     * connect; returns null when none did. The handshake itself is not bounded by it.
     */
    public Connection accept(Duration timeout) throws IOException {
        SocketChannel ch = awaitPeer(timeout);
        if (ch == null) return null;
        SocketConnection c;
        try {
            lastAccepted = ch.getRemoteAddress();
            c = new SocketConnection(ch, codec);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (authkey != null) {
            try {
                Auth.deliverChallenge(c, authkey);
                Auth.answerChallenge(c, authkey);
            } catch (IOException | RuntimeException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    private SocketChannel awaitPeer(Duration timeout) throws IOException {
        long deadline = Timeouts.deadline(Timeouts.nanos(timeout));
        while (true) {
            Selector sel;
            synchronized (lock) {
                if (closed) throw new IOException("listener is closed");
                if (selector == null) {
                    selector = Selector.open();
                    server.register(selector, SelectionKey.OP_ACCEPT);
                }
                sel = selector;
            }
            try {
                SocketChannel ch = server.accept();
                if (ch != null) return ch;
                if (Thread.currentThread().isInterrupted()) throw new InterruptedIOException("interrupted while waiting for a connection");
                long left = Timeouts.remaining(deadline);
                if (left == 0) return null;
                if (deadline == Long.MAX_VALUE) sel.select();
                else sel.select(Math.max(1, (left + 999_999) / 1_000_000));
                sel.selectedKeys().clear();
            } catch (ClosedChannelException | ClosedSelectorException e) {
                throw new IOException("listener is closed");
            }
        }
    }

    /** The bound address: the actual port for TCP, the socket's path for Unix. */
    public SocketAddress address() { return address; }

    /** The peer address of the last connection accepted, or null (for a Unix socket peer, usually an empty path). */
    public SocketAddress lastAccepted() { return lastAccepted; }

    /** The codec of the connections this listener accepts. */
    public Codec codec() { return codec; }

    /** Whether the listener authenticates its peers. */
    public boolean authenticates() { return authkey != null; }

    /** The server channel (non-blocking), for {@link Connections#wait}. */
    ServerSocketChannel channel() { return server; }

    public boolean isClosed() { return closed; }

    /** Stops listening and removes the Unix socket file (and the temp directory it made). Idempotent. */
    @Override
    public void close() throws IOException {
        Selector sel;
        synchronized (lock) {
            if (closed) return;
            closed = true;
            sel = selector;
            selector = null;
        }
        try {
            if (sel != null) sel.close();
            server.close();
        } finally {
            if (socketFile != null) Files.deleteIfExists(socketFile);
            if (tempDir != null) Files.deleteIfExists(tempDir);
        }
    }

    @Override
    public String toString() {
        return "Listener[" + address + (closed ? ", closed" : "") + (authkey != null ? ", authenticated" : "") + "]";
    }
}
