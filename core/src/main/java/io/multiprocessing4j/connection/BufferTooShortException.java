package io.multiprocessing4j.connection;

/**
 * Python's {@code BufferTooShort}: a message did not fit the buffer given to
 * {@code recvBytesInto}. The message has been consumed; it is all here.
 */
public class BufferTooShortException extends ProcessError {
    private final byte[] message;

    public BufferTooShortException(byte[] message) {
        super("message of " + message.length + " bytes does not fit the buffer");
        this.message = message;
    }

    /** The whole message that did not fit (not a copy). */
    public byte[] message() { return message; }
}
