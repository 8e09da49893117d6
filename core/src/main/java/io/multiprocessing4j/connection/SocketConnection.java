package io.multiprocessing4j.connection;

import io.multiprocessing4j.internal.os.Timeouts;
import io.multiprocessing4j.serial.Codec;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * A {@link Connection} over a stream socket, TCP or Unix-domain: Python's
 * {@code multiprocessing.connection.Connection} on a socket, byte for byte, so either end
 * may be a CPython process.
 *
 * <h2>Framing</h2>
 * Each message is a big-endian signed 32-bit length and the payload. A length above
 * {@code 0x7fffffff} is written as {@code ff ff ff ff} and an unsigned 64-bit big-endian
 * length (CPython 3.8+). Empty messages are legal. Header and payload of a small message
 * go out in one write. A Java array holds at most {@link #MAX_MESSAGE} bytes, so this end
 * never sends the long form, and a longer incoming message fails with an
 * {@link IOException} (no attempt to allocate it) and leaves the connection unreadable,
 * as "bad message length" does. A receive allocates a long message as its bytes arrive
 * (at most {@value #FIRST_ALLOCATION} bytes ahead of them), so a forged length costs no more.
 *
 * <h2>Payloads</h2>
 * {@link #send}/{@link #recv} carry the {@link Codec}'s bytes: with
 * {@link io.multiprocessing4j.serial.PickleCodec} they are pickles, as a CPython peer's
 * {@code send}/{@code recv} expect; with the default codec a Python peer should use
 * {@code send_bytes}/{@code recv_bytes}. {@link #sendBytes}/{@link #recvBytes} carry raw bytes.
 *
 * <h2>Waiting and interrupts</h2>
 * The channel is kept in non-blocking mode and waits happen in a {@link Selector}, so a
 * {@link Thread#interrupt()} never closes the channel (as a blocking channel's
 * {@link java.nio.channels.ClosedByInterruptException} would). A waiting call interrupted
 * throws {@link InterruptedIOException} and leaves the thread's interrupt status set.
 * <ul>
 *   <li>A receive interrupted keeps what it has read: the next receive resumes the same
 *       message, nothing is lost.</li>
 *   <li>A send interrupted before its first byte went out sent nothing. One interrupted
 *       in the middle of a message cannot take back what the peer already has, so the
 *       connection stops being writable (later sends: "connection is read-only");
 *       {@link InterruptedIOException#bytesTransferred} says how much of the payload left.</li>
 *   <li>{@link #close()} from another thread wakes a waiting call, which then throws
 *       {@link IOException} "handle is closed".</li>
 * </ul>
 *
 * <h2>poll</h2>
 * As in Python, {@link #poll(Duration)} is true when there is something to read: at least
 * one byte of a message (not necessarily all of it) or the end of the stream.
 *
 * <p>One thread at a time at each end, as in Python; {@link #close()} may come from any thread.
 */
final class SocketConnection implements Connection {

    /** How long a receive reads again before it sleeps (none on one CPU, where the spin would hold back the sender). */
    private static final long SPIN_NANOS = Runtime.getRuntime().availableProcessors() > 1
            ? Long.getLong("mp4j.socketSpinNanos", 50_000L) : 0L;

    /** The longest message this end can receive: the largest Java array the JVM reliably allocates. */
    public static final int MAX_MESSAGE = Integer.MAX_VALUE - 8;

    /** Size of each end's direct buffer: a payload up to this size less 4 goes out with its header in one write (Python: 16384). */
    static final int BUFFER = 64 * 1024;

    private final SocketChannel channel;
    private final Codec codec;
    private final ByteBuffer in;   // read mode: position..limit is what arrived and was not consumed
    private ByteBuffer out;        // lazily, write mode
    private volatile boolean closed;
    private volatile boolean readable = true;
    private volatile boolean writable = true;
    private boolean eof;
    private Selector selector;     // lazily, for waits on this channel alone
    private final Object closeLock = new Object();

    // A message whose header was consumed and whose body is partly read (after an interrupt,
    // or while a long one arrives): partialFilled of its partialLength bytes are in partial.
    private byte[] partial;
    private int partialFilled, partialLength;

    /** The most a receive allocates before the bytes of a message arrive; it then doubles as they do. */
    static final int FIRST_ALLOCATION = 4 << 20;

    /**
     * Wraps a connected channel, which this connection then owns (closing it, switching it
     * to non-blocking mode). No authentication happens here: see {@link Client} and {@link Listener}.
     */
    public SocketConnection(SocketChannel channel) throws IOException { this(channel, Codec.defaultCodec()); }

    /** As {@link #SocketConnection(SocketChannel)}, with the codec {@link #send}/{@link #recv} use. */
    public SocketConnection(SocketChannel channel, Codec codec) throws IOException {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.codec = Objects.requireNonNull(codec, "codec");
        if (!channel.isConnected()) throw new IllegalArgumentException("channel is not connected");
        channel.configureBlocking(false);
        if (!(channel.getLocalAddress() instanceof UnixDomainSocketAddress)) {
            // We never split a small message, so Nagle can only add latency.
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        in = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.BIG_ENDIAN);
        in.flip();
    }

    /** Connects to {@code address} (TCP or Unix-domain) without authentication; {@link Client#connect} authenticates. */
    public static SocketConnection open(SocketAddress address) throws IOException {
        return open(address, Codec.defaultCodec());
    }

    /** As {@link #open(SocketAddress)}, with the codec {@link #send}/{@link #recv} use. */
    public static SocketConnection open(SocketAddress address, Codec codec) throws IOException {
        SocketChannel ch = SocketChannel.open(address);
        try {
            return new SocketConnection(ch, codec);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The channel underneath (for selectors and socket options; reading or writing it breaks the framing). */
    public SocketChannel channel() { return channel; }

    /** The peer's address, or null when closed. */
    public SocketAddress remoteAddress() {
        try {
            return channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------------------- send

    @Override
    public void send(Object obj) throws IOException {
        checkWritable();
        byte[] b = codec.encode(obj);
        writeFrame(b, 0, b.length);
    }

    @Override
    public void sendBytes(byte[] buf, int offset, int size) throws IOException {
        checkWritable();
        checkSendArgs(buf, offset, size);
        writeFrame(buf, offset, size);
    }

    static void checkSendArgs(byte[] buf, int offset, int size) {
        Objects.requireNonNull(buf, "buf");
        if (offset < 0) throw new IllegalArgumentException("offset is negative");
        if (buf.length < offset) throw new IllegalArgumentException("buffer length < offset");
        if (size < 0) throw new IllegalArgumentException("size is negative");
        if ((long) offset + size > buf.length) throw new IllegalArgumentException("buffer length < offset + size");
    }

    /** The header of a message of {@code length} bytes: 4 bytes, or 12 for more than {@code 0x7fffffff}. */
    static byte[] header(long length) {
        if (length < 0) throw new IllegalArgumentException("negative length");
        ByteBuffer h;
        if (length > Integer.MAX_VALUE) {
            h = ByteBuffer.allocate(12).putInt(-1).putLong(length);
        } else {
            h = ByteBuffer.allocate(4).putInt((int) length);
        }
        return h.array();
    }

    private void writeFrame(byte[] b, int off, int len) throws IOException {
        if (out == null) out = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.BIG_ENDIAN);
        ByteBuffer o = out;
        o.clear();
        o.putInt(len);
        int sent = 0; // of the payload
        boolean started = false;
        try {
            while (true) {
                int n = Math.min(o.remaining(), len - sent);
                o.put(b, off + sent, n);
                sent += n;
                o.flip();
                while (o.hasRemaining()) {
                    if (write(o) == 0) awaitOp(SelectionKey.OP_WRITE, -1);
                    else started = true;
                }
                if (sent == len) return;
                o.clear();
            }
        } catch (InterruptedIOException e) {
            if (started) {
                writable = false;
                int done = sent - o.remaining();
                InterruptedIOException x = new InterruptedIOException(
                        "interrupted in the middle of a message: the connection is no longer writable");
                x.bytesTransferred = Math.max(0, done);
                throw x;
            }
            throw e;
        }
    }

    private int write(ByteBuffer o) throws IOException {
        try {
            return channel.write(o);
        } catch (ClosedChannelException e) {
            throw new IOException("handle is closed", e);
        }
    }

    // ---------------------------------------------------------------------------- receive

    @Override
    public Object recv() throws IOException {
        checkReadable();
        byte[] b = readMessage(MAX_MESSAGE, null, 0, new long[1]);
        return codec.decode(b, 0, b.length);
    }

    @Override
    public byte[] recvBytes(int maxLength) throws IOException {
        checkReadable();
        if (maxLength < 0) throw new IllegalArgumentException("negative maxLength");
        return readMessage(maxLength, null, 0, new long[1]);
    }

    @Override
    public int recvBytesInto(byte[] buf, int offset) throws IOException {
        checkReadable();
        Objects.requireNonNull(buf, "buf");
        if (offset < 0) throw new IllegalArgumentException("negative offset");
        if (offset > buf.length) throw new IllegalArgumentException("offset too large");
        long[] length = new long[1];
        byte[] whole = readMessage(MAX_MESSAGE, buf, offset, length);
        if (whole != null) throw new BufferTooShortException(whole);
        return (int) length[0];
    }

    /**
     * Reads one message. Without {@code into}, returns it. With {@code into}, copies it there
     * from {@code offset} and returns null when it fits, else returns the whole message.
     */
    private byte[] readMessage(int maxLength, byte[] into, int offset, long[] lengthOut) throws IOException {
        if (partial == null) {
            long length = readHeader();
            if (length > MAX_MESSAGE) {
                badMessageLength("bad message length: " + length + " bytes is longer than a Java array can hold");
            }
            if (length > maxLength) badMessageLength("bad message length");
            int n = (int) length;
            lengthOut[0] = n;
            if (into != null && n <= into.length - offset) {
                try {
                    readFully(into, offset, n);
                } catch (InterruptedIOException e) {
                    partial = new byte[n];
                    partialLength = n;
                    partialFilled = e.bytesTransferred;
                    System.arraycopy(into, offset, partial, 0, partialFilled);
                    throw e;
                }
                return null;
            }
            // The length is the peer's word: allocate as the bytes arrive, not all of it at once,
            // or four bytes claiming 2 GiB would cost an OutOfMemoryError before any payload.
            partial = new byte[Math.min(n, FIRST_ALLOCATION)];
            partialLength = n;
            partialFilled = 0;
        } else if (partialLength > maxLength) {
            badMessageLength("bad message length");
        }
        lengthOut[0] = partialLength;
        while (true) {
            try {
                readFully(partial, partialFilled, partial.length - partialFilled);
            } catch (InterruptedIOException e) {
                partialFilled += e.bytesTransferred;
                throw e;
            }
            partialFilled = partial.length;
            if (partialFilled == partialLength) break;
            partial = Arrays.copyOf(partial, (int) Math.min(partialLength, 2L * partialFilled));
        }
        byte[] b = partial;
        partial = null;
        if (into == null) return b;
        if (b.length > into.length - offset) return b;
        System.arraycopy(b, 0, into, offset, b.length);
        return null;
    }

    private void badMessageLength(String message) throws IOException {
        readable = false;
        throw new IOException(message);
    }

    /** Consumes a whole header (4 or 12 bytes) or nothing. */
    private long readHeader() throws IOException {
        fill(4, true);
        int n = in.getInt(in.position());
        if (n != -1) {
            in.position(in.position() + 4);
            if (n < 0) badMessageLength("bad message length: negative length " + n);
            return n;
        }
        fill(12, false);
        long length = in.getLong(in.position() + 4);
        in.position(in.position() + 12);
        if (length < 0) badMessageLength("bad message length: " + Long.toUnsignedString(length));
        return length;
    }

    /** Makes {@code in} hold at least {@code need} bytes (≤ its capacity) without consuming any. */
    private void fill(int need, boolean atBoundary) throws IOException {
        while (in.remaining() < need) {
            if (eof) {
                if (atBoundary && !in.hasRemaining()) throw new EOFException();
                throw new IOException("got end of file during message");
            }
            if (readMore() == 0) awaitData();
        }
    }

    /** Reads exactly {@code len} bytes; an interrupt reports how many arrived in {@code bytesTransferred}. */
    private void readFully(byte[] b, int off, int len) throws IOException {
        int done = 0;
        try {
            while (done < len) {
                if (in.hasRemaining()) {
                    int n = Math.min(in.remaining(), len - done);
                    in.get(b, off + done, n);
                    done += n;
                    continue;
                }
                if (eof) throw new IOException("got end of file during message");
                if (readMore() == 0) awaitData();
            }
        } catch (InterruptedIOException e) {
            e.bytesTransferred = done;
            throw e;
        }
    }

    // ---------------------------------------------------------------------------- poll

    @Override
    public boolean poll(Duration timeout) throws IOException {
        checkReadable();
        long deadline = Timeouts.deadline(Timeouts.nanos(timeout));
        while (true) {
            if (readyNow()) return true;
            long left = Timeouts.remaining(deadline);
            if (left == 0) return false;
            awaitOp(SelectionKey.OP_READ, deadline == Long.MAX_VALUE ? -1 : left);
        }
    }

    /** Whether bytes or the end of the stream are here now, reading what the socket holds without waiting. */
    private boolean readyNow() throws IOException {
        if (in.hasRemaining() || eof) return true;
        readMore();
        return in.hasRemaining() || eof;
    }

    /**
     * Waits until the socket holds bytes or its end: first reads again for up to
     * {@link #SPIN_NANOS}, then sleeps in the selector. A reply on this machine comes within
     * tens of microseconds, and a sleep costs a failed read, an {@code epoll_wait} and a
     * wake-up, which take as long again on a busy or virtual machine.
     */
    private void awaitData() throws IOException {
        if (SPIN_NANOS > 0) {
            long start = System.nanoTime();
            do {
                Thread.onSpinWait();
                if (readMore() != 0) return;
            } while (System.nanoTime() - start < SPIN_NANOS && !Thread.currentThread().isInterrupted());
        }
        awaitOp(SelectionKey.OP_READ, -1);
    }

    /** One non-blocking read into {@code in}; returns the count (-1 at end of stream, also recorded in {@code eof}). */
    private int readMore() throws IOException {
        in.compact();
        int r;
        try {
            r = channel.read(in);
        } catch (ClosedChannelException e) {
            throw new IOException("handle is closed", e);
        } finally {
            in.flip();
        }
        if (r < 0) eof = true;
        return r;
    }

    /** True when bytes or the end of the stream already sit in this end's buffer: no select would show them. */
    boolean hasBuffered() { return in.hasRemaining() || eof; }

    /**
     * Waits until the channel is ready for {@code op} or {@code nanos} pass (negative: no limit).
     *
     * @return whether the selector reported it ready
     */
    private boolean awaitOp(int op, long nanos) throws IOException {
        Selector sel;
        synchronized (closeLock) {
            if (closed) throw new IOException("handle is closed");
            if (selector == null) {
                selector = Selector.open();
                channel.register(selector, 0);
            }
            sel = selector;
        }
        if (Thread.currentThread().isInterrupted()) throw interrupted();
        try {
            SelectionKey key = channel.keyFor(sel);
            key.interestOps(op);
            int n;
            if (nanos < 0) n = sel.select();
            else {
                long ms = Math.max(1, (nanos + 999_999) / 1_000_000);
                n = sel.select(ms);
            }
            sel.selectedKeys().clear();
            if (closed) throw new IOException("handle is closed");
            if (n == 0 && Thread.currentThread().isInterrupted()) throw interrupted();
            return n > 0;
        } catch (ClosedSelectorException | java.nio.channels.CancelledKeyException | ClosedChannelException e) {
            throw new IOException("handle is closed");
        }
    }

    private static InterruptedIOException interrupted() {
        return new InterruptedIOException("interrupted while waiting on a connection");
    }

    // ---------------------------------------------------------------------------- state

    private void checkOpen() throws IOException {
        if (closed) throw new IOException("handle is closed");
    }

    private void checkReadable() throws IOException {
        checkOpen();
        if (!readable) throw new IOException("connection is write-only");
    }

    private void checkWritable() throws IOException {
        checkOpen();
        if (!writable) throw new IOException("connection is read-only");
    }

    @Override
    public boolean isClosed() { return closed; }

    @Override
    public boolean isReadable() { return readable; }

    @Override
    public boolean isWritable() { return writable; }

    @Override
    public void close() throws IOException {
        Selector sel;
        synchronized (closeLock) {
            if (closed) return;
            closed = true;
            sel = selector;
            selector = null;
        }
        try {
            if (sel != null) sel.close(); // wakes a thread waiting in it
        } finally {
            channel.close();
        }
    }

    @Override
    public String toString() {
        return "SocketConnection[" + (closed ? "closed" : String.valueOf(remoteAddress())) + "]";
    }
}
