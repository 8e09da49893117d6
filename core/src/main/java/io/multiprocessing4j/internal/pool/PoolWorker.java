package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.function.ProcessTarget;
import io.multiprocessing4j.function.SerializableFunction;
import io.multiprocessing4j.function.SerializableRunnable;
import io.multiprocessing4j.function.StarFunction;
import io.multiprocessing4j.serial.Codec;
import io.multiprocessing4j.sharedctypes.RawValue;

import java.io.EOFException;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What a pool's worker process runs: the initializer, then tasks from its pipe until told
 * to stop or the pool is gone (see {@link Wire}). Its arguments: the pipe end, the
 * initializer (or null), the shared count of tasks started, and the pool's codec (null: the
 * default one). It counts the tasks it starts in a shared
 * value, so that when it dies the pool can tell a task it ran from one it never started. A task's function comes with the first of
 * its job's tasks that reaches this worker and is kept for the next ones ({@link #FUNCTIONS}
 * of them, the oldest forgotten first; the pool keeps the same account).
 */
final class PoolWorker implements ProcessTarget {
    @Serial private static final long serialVersionUID = 1L;
    /** How many jobs' functions a worker keeps. */
    static final int FUNCTIONS = 64;

    @Override
    public void run(Object... args) throws Exception {
        Connection conn = (Connection) args[0];
        SerializableRunnable initializer = (SerializableRunnable) args[1];
        RawValue started = (RawValue) args[2];
        Codec codec = args[3] != null ? (Codec) args[3] : Codec.defaultCodec();
        try (conn) {
            if (initializer != null) {
                try {
                    initializer.run();
                } catch (Throwable t) {
                    send(conn, Wire.failure(Wire.INIT_FAILED, t, codec));
                    return;
                }
            }
            Map<Long, Object> functions = functionCache();
            while (true) {
                byte[] msg;
                try {
                    Wire.yieldUntilReadable(conn);
                    msg = conn.recvBytes();
                } catch (EOFException e) {
                    return; // the pool is gone
                }
                Wire.In in = new Wire.In(msg);
                if (in.get() == Wire.STOP) return;
                started.incrementAndGet();
                send(conn, runTask(in, functions, codec));
            }
        }
    }

    private static void send(Connection conn, Wire.Out out) throws IOException {
        conn.sendBytes(out.buf, 0, out.size);
    }

    /** Insertion order, the oldest dropped past {@link #FUNCTIONS}: the pool predicts what is kept. */
    static <V> Map<Long, V> functionCache() {
        return new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, V> eldest) { return size() > FUNCTIONS; }
        };
    }

    private static Wire.Out runTask(Wire.In in, Map<Long, Object> functions, Codec codec) {
        try {
            long job = in.getLong();
            byte kind = in.get();
            int fnLength = in.getInt();
            if (fnLength != Wire.FN_SENT) {
                Object fn;
                try {
                    fn = in.decode(codec, fnLength);
                } catch (IOException | RuntimeException e) {
                    fn = new Undecodable(e); // kept all the same: the pool counts it as sent
                }
                functions.put(job, fn);
            }
            Object fn = functions.get(job);
            if (fn instanceof Undecodable u) throw u.cause;
            Object[] results = call(kind, fn, Wire.getItems(in, codec));
            return Wire.putItems(new Wire.Out(16 + results.length * 8).put(Wire.RESULT), results, codec);
        } catch (Throwable t) {
            return Wire.failure(Wire.FAILED, t, codec);
        }
    }

    private record Undecodable(Exception cause) {}

    /** {@code fn} applied to each item, as {@code kind} says. */
    @SuppressWarnings("unchecked")
    static Object[] call(byte kind, Object fn, Object[] items) throws Exception {
        Object[] out = new Object[items.length];
        for (int i = 0; i < items.length; i++) {
            out[i] = switch (kind) {
                case Wire.CALL -> ((Callable<Object>) fn).call();
                case Wire.FUNCTION -> ((SerializableFunction<Object, Object>) fn).apply(items[i]);
                case Wire.STAR -> ((StarFunction<Object>) fn).apply((Object[]) items[i]);
                default -> throw new IllegalArgumentException("unknown task kind " + kind);
            };
        }
        return out;
    }

    /** A {@link Runnable} as a {@link Callable} of {@code result}, serializable when the runnable is. */
    static final class RunnableCall implements Callable<Object>, Serializable { // not a record: see Targets
        @Serial private static final long serialVersionUID = 1L;
        final Runnable task;
        private final Object result;

        RunnableCall(Runnable task, Object result) {
            this.task = task;
            this.result = result;
        }

        @Override
        public Object call() {
            task.run();
            return result;
        }
    }
}
