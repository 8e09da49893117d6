package io.multiprocessing4j.connection;

import io.multiprocessing4j.internal.os.Timeouts;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Static helpers over connections: Python's {@code multiprocessing.connection.wait}. */
public final class Connections {
    private Connections() {}

    private static final long MIN_SLICE = 1_000_000L;   // 1 ms
    private static final long MAX_SLICE = 20_000_000L;  // 20 ms

    /**
     * Waits until at least one of {@code objects} is ready, or {@code timeout} passes
     * (null: for ever; zero or negative: only checks), and returns the ready ones in the
     * order given: an empty list on timeout.
     *
     * <ul>
     *   <li>a {@link Connection}: ready when {@link Connection#poll} would be true, a message
     *       (for a socket: at least a byte of one) or the end of the stream;</li>
     *   <li>a {@link Listener}: ready when {@link Listener#accept()} would find a peer
     *       waiting (the handshake may still block);</li>
     *   <li>a {@link Waitable} (Python's {@code sentinel}): ready when {@link Waitable#isReady}
     *       is true; a process is one, ready once it has ended.</li>
     * </ul>
     * When every object is a socket connection (made by {@link Client} or {@link Listener}) or
     * a {@link Listener}, one selector does the waiting. Other objects are checked in slices of 1 to 20 ms, still waiting in the
     * selector for the sockets among them, so a socket wakes the call at once.
     *
     * @throws IOException "handle is closed" / "listener is closed" for a closed object
     * @throws IllegalStateException for a process not yet started
     * @throws IllegalArgumentException for an object of another kind
     * @throws InterruptedIOException when interrupted while waiting
     */
    public static <T> List<T> wait(Collection<? extends T> objects, Duration timeout) throws IOException {
        List<T> list = List.copyOf(Objects.requireNonNull(objects, "objects"));
        long deadline = Timeouts.deadline(Timeouts.nanos(timeout));
        int n = list.size();
        SelectableChannel[] channels = new SelectableChannel[n];
        boolean others = false;
        Selector sel = null;
        try {
            for (int i = 0; i < n; i++) {
                Object o = list.get(i);
                switch (o) {
                    case SocketConnection c -> {
                        if (c.isClosed()) throw new IOException("handle is closed");
                        channels[i] = c.channel();
                    }
                    case Listener l -> {
                        if (l.isClosed()) throw new IOException("listener is closed");
                        channels[i] = l.channel();
                    }
                    case Connection c -> {
                        if (c.isClosed()) throw new IOException("handle is closed");
                        others = true;
                    }
                    case Waitable w -> {
                        w.isReady(); // fails now for a process not started
                        others = true;
                    }
                    case null -> throw new NullPointerException("objects[" + i + "]");
                    default -> throw new IllegalArgumentException("cannot wait for a " + o.getClass().getName());
                }
                if (channels[i] != null) {
                    if (sel == null) sel = Selector.open();
                    if (channels[i].keyFor(sel) == null) {
                        int op = o instanceof Listener ? SelectionKey.OP_ACCEPT : SelectionKey.OP_READ;
                        try {
                            channels[i].register(sel, op);
                        } catch (ClosedChannelException e) {
                            throw new IOException(o instanceof Listener ? "listener is closed" : "handle is closed");
                        }
                    }
                }
            }
            long slice = MIN_SLICE;
            boolean[] ready = new boolean[n];
            while (true) {
                boolean any = false;
                for (int i = 0; i < n; i++) {
                    Object o = list.get(i);
                    boolean r = switch (o) {
                        case SocketConnection c -> c.hasBuffered();
                        case Listener l -> false;
                        case Connection c -> c.poll(Duration.ZERO);
                        case Waitable w -> w.isReady();
                        default -> false;
                    };
                    ready[i] = r;
                    any |= r;
                }
                if (sel != null) {
                    long left = Timeouts.remaining(deadline);
                    long wait = any || left <= 0 ? 0 : others ? Math.min(slice, left) : left;
                    if (Thread.currentThread().isInterrupted() && !any) throw interrupted();
                    if (wait == 0) sel.selectNow();
                    else if (wait == Long.MAX_VALUE) sel.select();
                    else sel.select(Math.max(1, (wait + 999_999) / 1_000_000));
                    Set<SelectionKey> selected = sel.selectedKeys();
                    for (int i = 0; i < n; i++) {
                        if (channels[i] == null) continue;
                        SelectionKey k = channels[i].keyFor(sel);
                        if (k != null && selected.contains(k)) {
                            ready[i] = true;
                            any = true;
                        }
                    }
                    selected.clear();
                }
                if (any) {
                    List<T> out = new ArrayList<>();
                    for (int i = 0; i < n; i++) if (ready[i]) out.add(list.get(i));
                    return out;
                }
                if (Thread.currentThread().isInterrupted()) throw interrupted();
                long left = Timeouts.remaining(deadline);
                if (left == 0) return List.of();
                if (sel == null) {
                    long sleep = Math.min(slice, left);
                    try {
                        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw interrupted();
                    }
                }
                slice = Math.min(MAX_SLICE, slice * 2);
            }
        } catch (ClosedSelectorException e) {
            throw new IOException("selector closed", e);
        } finally {
            if (sel != null) sel.close();
        }
    }

    private static InterruptedIOException interrupted() {
        return new InterruptedIOException("interrupted while waiting");
    }

    /**
     * Python's {@code deliver_challenge}: the accepting side's half of the HMAC handshake on
     * an already connected {@code c}, for a server that authenticates off its accept thread.
     *
     * @throws AuthenticationException when the peer's answer is wrong (after telling it so)
     */
    public static void deliverChallenge(Connection c, byte[] authkey) throws IOException {
        Auth.deliverChallenge(c, authkey);
    }

    /**
     * Python's {@code answer_challenge}: the connecting side's half of the HMAC handshake.
     *
     * @throws AuthenticationException when the peer rejected our key or sent a malformed challenge
     */
    public static void answerChallenge(Connection c, byte[] authkey) throws IOException {
        Auth.answerChallenge(c, authkey);
    }
}
