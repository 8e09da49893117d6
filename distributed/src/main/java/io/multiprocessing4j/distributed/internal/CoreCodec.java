package io.multiprocessing4j.distributed.internal;

import io.multiprocessing4j.serial.Codec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.redisson.client.codec.BaseCodec;
import org.redisson.client.handler.State;
import org.redisson.client.protocol.Decoder;
import org.redisson.client.protocol.Encoder;

import java.io.IOException;

/**
 * A Redisson codec over the library's {@link Codec}, so that every value Redisson stores is
 * written and read as a queue item or pipe message is: tags for common values, Java
 * serialization behind an {@code ObjectInputFilter} for the rest. Set on the client, it
 * replaces Redisson's default (Kryo, which needs {@code sun.misc.Unsafe}).
 */
public final class CoreCodec extends BaseCodec {
    private final Codec codec;

    private final Encoder encoder = new Encoder() {
        @Override
        public ByteBuf encode(Object in) throws IOException {
            byte[] b = codec.encode(in);
            return ByteBufAllocator.DEFAULT.buffer(b.length).writeBytes(b);
        }
    };

    private final Decoder<Object> decoder = new Decoder<>() {
        @Override
        public Object decode(ByteBuf buf, State state) throws IOException {
            byte[] b = new byte[buf.readableBytes()];
            buf.readBytes(b);
            return codec.decode(b);
        }
    };

    public CoreCodec(Codec codec) {
        this.codec = codec;
    }

    /** A codec over {@link Codec#defaultCodec()}. */
    public CoreCodec() {
        this(Codec.defaultCodec());
    }

    public Codec codec() { return codec; }

    @Override
    public Decoder<Object> getValueDecoder() { return decoder; }

    @Override
    public Encoder getValueEncoder() { return encoder; }
}
