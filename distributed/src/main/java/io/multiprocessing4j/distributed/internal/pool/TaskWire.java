package io.multiprocessing4j.distributed.internal.pool;

import io.multiprocessing4j.process.RemoteException;
import io.multiprocessing4j.serial.Codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The messages of a distributed pool on the server: list elements that start with an ASCII
 * header of fields ended by {@code '|'} (so that the server's scripts can read and rewrite
 * them without decoding the rest), then a binary body.
 * <pre>
 * task   client|job|seq|retries|  kind:byte fnLength:int fn items      on the pool's task list
 * result job|seq|R|               items (the results, in the inputs' order)   on the client's result list
 *        job|seq|F|               the exception in the codec (or a RemoteException copy)
 *        job|seq|L|host|pid|worker|   written by the reaper: the worker died running the task
 *
 * items  form:byte n:int, then n ints (form 1), n longs (2), n doubles (3), or n values
 *        each as length:int and the codec's bytes (form 0)
 * </pre>
 * {@code retries} is how many times the reaper may still put the task back when its worker
 * dies. Integers in the body are big-endian.
 */
final class TaskWire {
    static final byte CALL = 0, FUNCTION = 1, STAR = 2;
    static final byte OK = 'R', FAILED = 'F', LOST = 'L';
    private static final byte VALUES = 0, INTS = 1, LONGS = 2, DOUBLES = 3;

    private TaskWire() {}

    /** A task's header fields and where its body starts. */
    record TaskHeader(String client, long job, int seq, int bodyStart) {}

    /** A result's header fields and where its body starts. */
    record ResultHeader(long job, int seq, byte status, int bodyStart) {}

    static byte[] task(String client, long job, int seq, int retries, byte kind, byte[] fn, byte[] items) {
        byte[] head = (client + '|' + job + '|' + seq + '|' + retries + '|').getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(head, head.length + 5 + fn.length + items.length);
        int p = head.length;
        out[p++] = kind;
        out[p++] = (byte) (fn.length >>> 24);
        out[p++] = (byte) (fn.length >>> 16);
        out[p++] = (byte) (fn.length >>> 8);
        out[p++] = (byte) fn.length;
        System.arraycopy(fn, 0, out, p, fn.length);
        System.arraycopy(items, 0, out, p + fn.length, items.length);
        return out;
    }

    static TaskHeader taskHeader(byte[] t) {
        int[] ends = fieldEnds(t, 4);
        return new TaskHeader(ascii(t, 0, ends[0]), Long.parseLong(ascii(t, ends[0] + 1, ends[1])),
                Integer.parseInt(ascii(t, ends[1] + 1, ends[2])), ends[3] + 1);
    }

    static byte[] result(long job, int seq, byte status, byte[] body) {
        byte[] head = (Long.toString(job) + '|' + seq + '|' + (char) status + '|').getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }

    static ResultHeader resultHeader(byte[] r) {
        int[] ends = fieldEnds(r, 3);
        return new ResultHeader(Long.parseLong(ascii(r, 0, ends[0])), Integer.parseInt(ascii(r, ends[0] + 1, ends[1])),
                r[ends[1] + 1], ends[2] + 1);
    }

    /** The fields of a LOST result's body: host, pid, worker id. */
    static String[] lostFields(byte[] r, int bodyStart) {
        return ascii(r, bodyStart, r.length).split("\\|", -1);
    }

    private static int[] fieldEnds(byte[] b, int n) {
        int[] ends = new int[n];
        int at = 0;
        for (int i = 0; i < b.length && at < n; i++) if (b[i] == '|') ends[at++] = i;
        if (at < n) throw new IllegalArgumentException("not a pool message: " + n + " header fields expected");
        return ends;
    }

    private static String ascii(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.US_ASCII);
    }

    /** {@code items} as an items section. */
    static byte[] items(Object[] items, Codec codec) throws IOException {
        Class<?> common = items.length == 0 || items[0] == null ? null : items[0].getClass();
        for (Object o : items) if (common != null && (o == null || o.getClass() != common)) common = null;
        if (common == Integer.class) {
            ByteBuffer b = ByteBuffer.allocate(5 + 4 * items.length).put(INTS).putInt(items.length);
            for (Object o : items) b.putInt((Integer) o);
            return b.array();
        }
        if (common == Long.class || common == Double.class) {
            ByteBuffer b = ByteBuffer.allocate(5 + 8 * items.length).put(common == Long.class ? LONGS : DOUBLES).putInt(items.length);
            for (Object o : items) b.putLong(o instanceof Long l ? l : Double.doubleToRawLongBits((Double) o));
            return b.array();
        }
        byte[][] values = new byte[items.length][];
        int size = 5;
        for (int i = 0; i < items.length; i++) size += 4 + (values[i] = codec.encode(items[i])).length;
        ByteBuffer b = ByteBuffer.allocate(size).put(VALUES).putInt(items.length);
        for (byte[] v : values) b.putInt(v.length).put(v);
        return b.array();
    }

    /** The items section of {@code b} from {@code offset}. */
    static Object[] readItems(byte[] b, int offset, Codec codec) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(b, offset, b.length - offset);
        byte form = in.get();
        int n = in.getInt();
        if (n < 0 || (long) n * (form == INTS ? 4 : form == VALUES ? 4 : 8) > in.remaining()) throw new IOException("bad items section");
        Object[] items = new Object[n];
        for (int i = 0; i < n; i++) {
            items[i] = switch (form) {
                case INTS -> in.getInt();
                case LONGS -> in.getLong();
                case DOUBLES -> Double.longBitsToDouble(in.getLong());
                case VALUES -> {
                    int len = in.getInt();
                    Object v = codec.decode(b, in.position(), len);
                    in.position(in.position() + len);
                    yield v;
                }
                default -> throw new IOException("unknown items form " + form);
            };
        }
        return items;
    }

    /** A task body: its kind, function bytes and where its items start. */
    record Body(byte kind, byte[] fn, int itemsStart) {}

    static Body body(byte[] t, int bodyStart) {
        byte kind = t[bodyStart];
        int n = ((t[bodyStart + 1] & 0xff) << 24) | ((t[bodyStart + 2] & 0xff) << 16) | ((t[bodyStart + 3] & 0xff) << 8)
                | (t[bodyStart + 4] & 0xff);
        int fnStart = bodyStart + 5;
        return new Body(kind, Arrays.copyOfRange(t, fnStart, fnStart + n), fnStart + n);
    }

    /** {@code t} in the codec, or a {@link RemoteException} copy of it when it cannot be encoded. */
    static byte[] failure(Throwable t, Codec codec) {
        try {
            return codec.encode(t);
        } catch (IOException | RuntimeException e) {
            try {
                return codec.encode(RemoteException.of(t));
            } catch (IOException e2) {
                throw new UncheckedIOException(e2); // strings and stack frames only: cannot happen
            }
        }
    }
}
