package io.multiprocessing4j.serial;

import java.io.IOException;

/**
 * Turns objects into bytes and back, for everything that crosses between processes:
 * process arguments, pipe messages, queue items.
 */
public interface Codec {

    /** The bytes of {@code value}; throws {@link NotSerializableException} before anything is sent when it cannot be encoded. */
    byte[] encode(Object value) throws IOException;

    /** The value of {@code bytes}, which {@link #encode} produced (here or in another process). */
    Object decode(byte[] bytes, int offset, int length) throws IOException;

    default Object decode(byte[] bytes) throws IOException { return decode(bytes, 0, bytes.length); }

    /** The codec every factory uses unless told otherwise (a context: {@code ctx.withCodec(codec)}). */
    static Codec defaultCodec() { return DefaultCodec.INSTANCE; }

    /** Python's pickle ({@link PickleCodec#standard()}), for connections and queues shared with Python processes. */
    static Codec pickle() { return PickleCodec.standard(); }

    /** Thrown when a value has no encoding. */
    final class NotSerializableException extends java.io.NotSerializableException {
        public NotSerializableException(String what) { super(what); }
    }
}
