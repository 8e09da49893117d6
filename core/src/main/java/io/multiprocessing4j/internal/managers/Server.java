package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.connection.Connections;
import io.multiprocessing4j.managers.ManagerServer;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Listener;
import io.multiprocessing4j.serial.Codec;
import io.multiprocessing4j.internal.shm.Heap;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A manager's server: Python's {@code managers.Server}. It listens on a TCP address or a
 * Unix socket, authenticates every connection with the authkey before it decodes anything
 * from it, and then answers requests {@code (objectId, method, args)}, one thread per
 * connection. A client on this machine asks for shared-memory channels (pipes) over its
 * first connection and makes its calls on those; a remote client calls over sockets. A
 * CPython client ({@code BaseManager(address, authkey).connect()}) is answered in CPython's
 * own protocol ({@link PyDispatcher}), on the same objects.
 *
 * <p>A connection that fails the handshake, takes more than {@link #HANDSHAKE_TIMEOUT} to
 * complete it, or sends a message that is not a request, is dropped; the server goes on. Thread-safe.
 */
public final class Server implements ManagerServer {
    /** How long a new connection has to prove it holds the authkey. */
    public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    static final int PIPE_CAPACITY = 1 << 17;
    /** The first byte of a pickle of protocol 2 or later: a CPython client's request (a Java client's starts with 'Q'). */
    private static final byte PICKLE_PROTO = (byte) 0x80;

    final Registry registry;
    final ObjectTable table = new ObjectTable();
    final Wire wire;
    private final SocketAddress requested;
    private final byte[] authkey;
    private final Map<Long, ServerSession> sessions = new ConcurrentHashMap<>();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong nextSession = new AtomicLong(1);
    private final AtomicLong nextThread = new AtomicLong(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Dispatcher dispatcher;
    private final PyDispatcher pyDispatcher;
    private ScheduledExecutorService timer;
    private Listener listener;
    private volatile String address;
    private volatile boolean stopping;
    private Heap heap;

    Server(Registry registry, SocketAddress address, byte[] authkey, Codec codec) {
        if (authkey == null) throw new IllegalArgumentException("a manager's server needs an authkey");
        if (authkey.length == 0 && address instanceof InetSocketAddress i && (i.getAddress() == null || !i.getAddress().isLoopbackAddress())) {
            throw new IllegalArgumentException("refusing to serve on " + address + ", which is not a loopback address, with an empty authkey");
        }
        this.registry = registry.copy();
        this.requested = address;
        this.authkey = authkey.clone();
        this.wire = new Wire(codec);
        this.dispatcher = new Dispatcher(this);
        this.pyDispatcher = new PyDispatcher(this);
    }

    /** Binds the address and starts accepting connections; returns at once. */
    synchronized void start() throws IOException {
        if (listener != null) return;
        if (stopping) throw new IllegalStateException("server has shut down");
        listener = new Listener(requested, 64, null); // the handshake runs on each connection's thread
        address = Addresses.format(listener.address());
        timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("mp4j-manager-timer").unstarted(r));
        Thread.ofPlatform().daemon().name("mp4j-manager-accept").start(this::acceptLoop);
    }

    @Override
    public void serveForever() throws IOException, InterruptedException {
        start();
        stopped.await();
    }

    @Override
    public boolean awaitShutdown(Duration timeout) throws InterruptedException {
        long nanos = Slice.nanos(timeout); // saturates: a timeout too long for a long is none
        if (nanos < 0) {
            stopped.await();
            return true;
        }
        return stopped.await(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public String address() { return address; }

    @Override
    public int numberOfObjects() { return table.size(); }

    @Override
    public void shutdown() {
        synchronized (this) {
            if (stopping) return;
            stopping = true;
        }
        try {
            if (listener != null) listener.close();
        } catch (IOException ignored) {
            // closing a listener only fails when it is closed already
        }
        for (ServerSession s : sessions.values()) s.end();
        for (Connection c : connections) quietClose(c);
        synchronized (this) {
            if (heap != null) heap.close(); // pipe waiters on both sides fail instead of hanging
            if (timer != null) timer.shutdownNow();
        }
        table.clear();
        stopped.countDown();
    }

    boolean isStopping() { return stopping; }

    synchronized Heap heap() {
        if (stopping) throw new IllegalStateException("server has shut down");
        if (heap == null) heap = new Heap();
        return heap;
    }

    ServerSession newSession(long pid) {
        ServerSession s = new ServerSession(nextSession.getAndIncrement(), pid, table);
        sessions.put(s.id, s);
        return s;
    }

    ServerSession session(long id) { return sessions.get(id); }

    Iterable<ServerSession> sessions() { return sessions.values(); }

    void endSession(ServerSession s) {
        sessions.remove(s.id);
        s.end();
    }

    // ------------------------------------------------------------------ connections

    private void acceptLoop() {
        while (!stopping) {
            Connection c;
            try {
                c = listener.accept();
            } catch (IOException e) {
                if (stopping || listener.isClosed()) return;
                continue; // a peer that reset before we accepted it
            }
            connections.add(c);
            if (stopping) quietClose(c);
            else startThread(() -> handshakeThenServe(c));
        }
    }

    void startThread(Runnable r) {
        Thread.ofPlatform().daemon().name("mp4j-manager-" + nextThread.getAndIncrement()).start(r);
    }

    private void handshakeThenServe(Connection c) {
        ScheduledFuture<?> watchdog = timer.schedule(() -> quietClose(c), HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            Connections.deliverChallenge(c, authkey);
            Connections.answerChallenge(c, authkey);
        } catch (IOException | RuntimeException e) { // a wrong key, garbage, or a peer that went away
            connections.remove(c);
            quietClose(c);
            return;
        } finally {
            watchdog.cancel(false);
        }
        Channel ch = new Channel(c, null);
        try {
            serve(ch);
        } finally {
            connections.remove(c);
            quietClose(c);
            if (ch.control) endSession(ch.session);
        }
    }

    /** A connection and what the server knows of it. */
    static final class Channel {
        final Connection conn;
        ServerSession session;
        boolean control; // the session ends with this connection
        boolean python;  // a CPython client's method channel (after accept_connection)
        Runnable afterReply;

        Channel(Connection conn, ServerSession session) {
            this.conn = conn;
            this.session = session;
        }
    }

    /**
     * Answers requests on {@code ch} until it ends, or sends something that is not a request.
     *
     * @return whether it ended because the peer closed its end or died
     */
    boolean serve(Channel ch) {
        Token.SCOPE.set(dispatcher::resolve);
        try {
            while (!stopping) {
                byte[] msg;
                try {
                    msg = ch.conn.recvBytes();
                } catch (java.io.EOFException e) {
                    return true;
                } catch (IOException | RuntimeException e) {
                    return false; // closed here, or shut down
                }
                ServerRef.GIVE_TO.set(ch.session);
                byte[] reply = msg.length > 0 && msg[0] == PICKLE_PROTO
                        ? pyDispatcher.handle(msg, ch) : dispatcher.handle(msg, ch);
                if (reply == null) return false; // not a request: drop the connection
                try {
                    ch.conn.sendBytes(reply);
                } catch (IOException | RuntimeException e) {
                    return false;
                } finally {
                    Runnable after = ch.afterReply;
                    ch.afterReply = null;
                    if (after != null) after.run();
                }
            }
            return false;
        } finally {
            Token.SCOPE.remove();
            ServerRef.GIVE_TO.remove();
        }
    }

    static void quietClose(Connection c) {
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // closing what is already broken
        }
    }

    @Override
    public String toString() { return "Server(" + (address != null ? address : requested) + (stopping ? ", shut down" : "") + ")"; }
}
