package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.process.RemoteException;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.serial.Codec;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The messages between a pool and one of its worker processes, over the worker's own pipe.
 * Integers are little-endian; a value is an {@code int} length and that many bytes of the
 * codec.
 * <pre>
 * pool -> worker   TASK   byte 1 | long job | byte kind | int fn length, -1: the job's function was sent before
 *                         | fn bytes | items (the inputs)
 *                  STOP   byte 2
 * worker -> pool   RESULT byte 3 | items (the results, in the inputs' order)
 *                  FAILED byte 4 | value (the exception)
 *                  INIT_FAILED byte 5 | value (the initializer's exception); the worker then ends
 *
 * items            byte 0 | int n | n values              any objects
 *                  byte 1 | int n | n ints                all Integer
 *                  byte 2 | int n | n longs               all Long
 *                  byte 3 | int n | n longs (the bits)    all Double
 * </pre>
 * A worker answers each task with one RESULT or FAILED, in the order the tasks came, so the
 * pool knows which task an answer is for without naming it. Items of one boxed primitive
 * type travel as a column, as pickle writes a list of ints compactly: no codec call and no
 * array per item.
 */
final class Wire {
    static final byte TASK = 1, STOP = 2, RESULT = 3, FAILED = 4, INIT_FAILED = 5;
    /** What the function is: a {@code Callable} (one null item), a function of the item, a function of the item's arguments. */
    static final byte CALL = 0, FUNCTION = 1, STAR = 2;
    static final int FN_SENT = -1;
    private static final byte VALUES = 0, INTS = 1, LONGS = 2, DOUBLES = 3;

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Wire() {}

    /** A message being written. */
    static final class Out {
        byte[] buf;
        int size;

        Out(int capacity) { buf = new byte[Math.max(16, capacity)]; }

        private void room(int n) {
            if (size + n > buf.length) buf = Arrays.copyOf(buf, Math.max(size + n, buf.length * 2));
        }

        Out put(byte b) {
            room(1);
            buf[size++] = b;
            return this;
        }

        Out putInt(int x) {
            room(4);
            INT.set(buf, size, x);
            size += 4;
            return this;
        }

        Out putLong(long x) {
            room(8);
            LONG.set(buf, size, x);
            size += 8;
            return this;
        }

        /** {@code b} as a value: its length, then its bytes. */
        Out putValue(byte[] b) { return putInt(b.length).putRaw(b); }

        /** {@code b}'s bytes. */
        Out putRaw(byte[] b) {
            room(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
            return this;
        }

        /** The bytes written, as an array of their own. */
        byte[] toByteArray() { return Arrays.copyOf(buf, size); }
    }

    /** A message being read. */
    static final class In {
        final byte[] buf;
        int pos;

        In(byte[] buf) { this.buf = buf; }

        byte get() { return buf[pos++]; }

        int getInt() {
            int x = (int) INT.get(buf, pos);
            pos += 4;
            return x;
        }

        long getLong() {
            long x = (long) LONG.get(buf, pos);
            pos += 8;
            return x;
        }

        /** Decodes the next {@code n} bytes. */
        Object decode(Codec codec, int n) throws IOException {
            Object v = codec.decode(buf, pos, n);
            pos += n;
            return v;
        }

        /** Decodes the next value. */
        Object value(Codec codec) throws IOException { return decode(codec, getInt()); }
    }

    /** How long a pool's waiter yields before it blocks in its receive. */
    static final long YIELD_NANOS = Long.getLong("mp4j.pool.yieldNanos", 200_000);

    /**
     * Waits up to {@link #YIELD_NANOS} for a message on {@code c} by yielding the CPU between
     * looks, not by spinning on it; the caller's receive then blocks as usual. A pool has more
     * threads that wait in turn (a driver per worker, and the workers) than a small machine
     * has cores: a waiter that spins keeps the very thread it waits for off the CPU.
     */
    static void yieldUntilReadable(Connection c) throws IOException {
        if (c.poll()) return;
        long start = System.nanoTime();
        do {
            Thread.yield();
            if (c.poll()) return;
        } while (System.nanoTime() - start < YIELD_NANOS);
    }

    /** Writes {@code items} as an items section. */
    static Out putItems(Out out, Object[] items, Codec codec) throws IOException {
        int n = items.length;
        Class<?> common = n == 0 || items[0] == null ? null : items[0].getClass();
        for (int i = 1; i < n && common != null; i++) if (items[i] == null || items[i].getClass() != common) common = null;
        if (common == Integer.class) {
            out.put(INTS).putInt(n);
            for (Object o : items) out.putInt((Integer) o);
        } else if (common == Long.class) {
            out.put(LONGS).putInt(n);
            for (Object o : items) out.putLong((Long) o);
        } else if (common == Double.class) {
            out.put(DOUBLES).putInt(n);
            for (Object o : items) out.putLong(Double.doubleToRawLongBits((Double) o));
        } else {
            out.put(VALUES).putInt(n);
            for (Object o : items) out.putValue(codec.encode(o));
        }
        return out;
    }

    /** {@code items} as an items section of its own (to be copied into a TASK with {@link Out#putRaw}). */
    static byte[] items(Object[] items, Codec codec) throws IOException {
        return putItems(new Out(16 + items.length * 8), items, codec).toByteArray();
    }

    /** Reads an items section. */
    static Object[] getItems(In in, Codec codec) throws IOException {
        byte form = in.get();
        Object[] items = new Object[in.getInt()];
        for (int i = 0; i < items.length; i++) {
            items[i] = switch (form) {
                case INTS -> in.getInt();
                case LONGS -> in.getLong();
                case DOUBLES -> Double.longBitsToDouble(in.getLong());
                case VALUES -> in.value(codec);
                default -> throw new IOException("unknown items form " + form);
            };
        }
        return items;
    }

    /** A message of {@code type} carrying {@code t}, or a {@link RemoteException} copy of it when {@code t} cannot be encoded. */
    static Out failure(byte type, Throwable t, Codec codec) {
        byte[] b;
        try {
            b = codec.encode(t);
        } catch (IOException | RuntimeException e) {
            try {
                b = codec.encode(RemoteException.of(t));
            } catch (IOException e2) {
                throw new IllegalStateException("cannot encode a RemoteException", e2); // only strings and stack frames: cannot happen
            }
        }
        return new Out(b.length + 5).put(type).putValue(b);
    }
}
