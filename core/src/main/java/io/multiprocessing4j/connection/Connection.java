package io.multiprocessing4j.connection;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;

/**
 * One end of a message channel between processes: Python's {@code Connection}. Messages
 * keep their boundaries (they never merge or split), may be empty, and may be of any size
 * a Java array holds. {@link #send}/{@link #recv} carry objects through the codec;
 * {@link #sendBytes}/{@link #recvBytes} carry raw bytes.
 *
 * <p><b>Blocking:</b> {@link #recv}, {@link #recvBytes} and {@link #recvBytesInto} wait
 * until a message arrives or the peer is gone ({@link EOFException}); {@link #poll(Duration)}
 * waits at most its timeout. Sends may wait for room (a pipe's ring, a socket's buffer).
 * Waiting methods throw {@link java.io.InterruptedIOException} when the thread is
 * interrupted. <b>Memory visibility:</b> what a thread wrote before {@code send} is visible
 * to the thread whose {@code recv} returned that message. A connection is meant for one
 * thread at a time at each end, as in Python.
 *
 * <p>Errors: a closed connection throws {@link IOException} "handle is closed" from every
 * call but {@link #close()} (idempotent) and the state queries; the wrong direction of a
 * one-way connection throws {@link IOException} "connection is write-only" / "read-only";
 * bad offsets and sizes throw {@link IllegalArgumentException}. A pipe end whose memory was
 * closed with its context, also while a thread waited in {@code recv}, {@code send} or
 * {@code poll}, throws {@link java.nio.channels.AsynchronousCloseException} (an
 * {@link IOException}) from those. A pipe whose shared memory another process truncated
 * throws {@link IOException} ("the shared memory of this pipe end is gone") from every call
 * that touches it, never crashing the JVM.
 */
public interface Connection extends AutoCloseable {

    /** Sends {@code obj} as one message, encoded by the codec; a value it cannot encode fails here, sending nothing. */
    void send(Object obj) throws IOException;

    /** Receives one message sent with {@link #send}. @throws EOFException when the peer closed or died and nothing is left */
    Object recv() throws IOException;

    /** Sends {@code buf} as one message. */
    default void sendBytes(byte[] buf) throws IOException { sendBytes(buf, 0, buf.length); }

    /**
     * Sends {@code size} bytes of {@code buf} from {@code offset} as one message.
     *
     * @throws IllegalArgumentException "offset is negative", "buffer length &lt; offset",
     *         "size is negative", "buffer length &lt; offset + size"
     */
    void sendBytes(byte[] buf, int offset, int size) throws IOException;

    /** Receives one message as bytes. */
    default byte[] recvBytes() throws IOException { return recvBytes(Integer.MAX_VALUE); }

    /**
     * Receives one message of at most {@code maxLength} bytes.
     *
     * @throws IOException "bad message length" when it is longer; the connection is then
     *         no longer readable
     */
    byte[] recvBytes(int maxLength) throws IOException;

    /** Receives one message into {@code buf}; see {@link #recvBytesInto(byte[], int)}. */
    default int recvBytesInto(byte[] buf) throws IOException { return recvBytesInto(buf, 0); }

    /**
     * Receives one message into {@code buf} from {@code offset}.
     *
     * @return the message's length
     * @throws BufferTooShortException when it does not fit: the message
     *         is consumed and carried by the exception
     */
    int recvBytesInto(byte[] buf, int offset) throws IOException;

    /**
     * Whether a message, or the end of the stream, is waiting now; it looks, it does not wait.
     * A peer that closed its end is seen at once, and so is a socket peer that died; a pipe
     * peer that died without closing is seen by a liveness check, which looks make at most
     * every 100 ms per pipe.
     */
    default boolean poll() throws IOException { return poll(Duration.ZERO); }

    /**
     * Waits at most {@code timeout} ({@code null}: for ever; negative: not at all) until a
     * message or the end of the stream is waiting.
     */
    boolean poll(Duration timeout) throws IOException;

    boolean isClosed();

    /**
     * Whether this end receives: false for a write-only end, and, as in Python, once a
     * receive refused a message as too long ("bad message length"), after which every
     * receive and poll throws {@link IOException}.
     */
    boolean isReadable();

    boolean isWritable();

    /** Closes this end; the peer then reads what was sent and after it {@link EOFException}. Idempotent. */
    @Override
    void close() throws IOException;
}
