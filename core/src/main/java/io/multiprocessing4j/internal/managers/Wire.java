package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.serial.Codec;

import java.io.IOException;
import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The manager's messages as bytes: requests {@code (objectId, method, args)} and replies
 * {@code (kind, payload)}, the shape of CPython's manager protocol. The envelope is a few
 * fixed fields; each argument and each payload goes through the {@link Codec}, so the
 * common values (strings, boxed numbers) cost no reflection.
 *
 * <pre>
 * request: 'Q' | objectId i64 | method length u16 | method UTF-8 | nargs i32 | (length i32 | codec bytes) * nargs
 * reply:   kind u8 (RETURN 0, ERROR 1, TRACEBACK 2, UNSERIALIZABLE 3) | codec bytes of the payload
 * </pre>
 * Object id 0 addresses the server itself ({@code create}, {@code incref}, ...).
 * Thread-safe.
 */
final class Wire {
    static final byte RETURN = 0, ERROR = 1, TRACEBACK = 2, UNSERIALIZABLE = 3;
    private static final byte REQUEST = 'Q';
    private static final Object[] NO_ARGS = {};

    record Request(long id, String method, Object[] args) {}

    record Reply(byte kind, Object payload) {}

    private final Codec codec;

    Wire(Codec codec) { this.codec = Objects.requireNonNull(codec, "codec"); }

    Codec codec() { return codec; }

    /** The request's bytes; a value the codec cannot encode fails here, naming its class. */
    byte[] request(long id, String method, Object[] args) throws IOException {
        byte[] name = method.getBytes(StandardCharsets.UTF_8);
        if (name.length > 0xFFFF) throw new IllegalArgumentException("method name too long");
        int n = args == null ? 0 : args.length;
        byte[][] parts = new byte[n][];
        int size = 1 + 8 + 2 + name.length + 4;
        for (int i = 0; i < n; i++) {
            parts[i] = encode(args[i]);
            size += 4 + parts[i].length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(REQUEST).putLong(id).putShort((short) name.length).put(name).putInt(n);
        for (byte[] p : parts) b.putInt(p.length).put(p);
        return b.array();
    }

    Request request(byte[] bytes) throws IOException {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            if (b.get() != REQUEST) throw new StreamCorruptedException("not a manager request");
            long id = b.getLong();
            int len = Short.toUnsignedInt(b.getShort());
            String method = new String(bytes, b.position(), len, StandardCharsets.UTF_8);
            b.position(b.position() + len);
            int n = b.getInt();
            if (n < 0 || n > b.remaining() / 4) throw new StreamCorruptedException("bad argument count " + n);
            Object[] args = n == 0 ? NO_ARGS : new Object[n];
            for (int i = 0; i < n; i++) {
                int l = b.getInt();
                if (l < 0 || l > b.remaining()) throw new StreamCorruptedException("bad argument length " + l);
                args[i] = codec.decode(bytes, b.position(), l);
                b.position(b.position() + l);
            }
            return new Request(id, method, args);
        } catch (RuntimeException e) { // a short or garbled buffer
            throw (StreamCorruptedException) new StreamCorruptedException("bad manager request: " + e).initCause(e);
        }
    }

    byte[] reply(byte kind, Object payload) throws IOException {
        byte[] p = encode(payload);
        byte[] out = new byte[p.length + 1];
        out[0] = kind;
        System.arraycopy(p, 0, out, 1, p.length);
        return out;
    }

    Reply reply(byte[] bytes) throws IOException {
        if (bytes.length == 0 || bytes[0] < RETURN || bytes[0] > UNSERIALIZABLE) {
            throw new StreamCorruptedException("bad manager reply" + (bytes.length == 0 ? "" : " kind " + bytes[0]));
        }
        return new Reply(bytes[0], codec.decode(bytes, 1, bytes.length - 1));
    }

    private byte[] encode(Object value) throws IOException {
        try {
            return codec.encode(value);
        } catch (java.io.NotSerializableException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            Codec.NotSerializableException x = new Codec.NotSerializableException(
                    (value == null ? "null" : value.getClass().getName()) + " cannot be encoded: " + e);
            x.initCause(e);
            throw x;
        }
    }

    static String describe(Object[] args) { return args == null ? "()" : Arrays.toString(args); }
}
