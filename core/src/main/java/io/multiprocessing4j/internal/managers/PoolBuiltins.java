package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.function.SerializableCallable;
import io.multiprocessing4j.function.SerializableFunction;
import io.multiprocessing4j.function.SerializableRunnable;
import io.multiprocessing4j.function.StarFunction;
import io.multiprocessing4j.managers.ManagedFactory;
import io.multiprocessing4j.pool.AsyncResult;
import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.pool.PoolIterator;
import io.multiprocessing4j.serial.Codec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The server side of {@code SyncManager.pool}: the referent of typeid {@code Pool} is a local
 * {@link Pool} of the server's JVM, and its asynchronous calls' results are managed objects of
 * their own (typeids {@code AsyncResult} and {@code PoolIterator}, Python's
 * {@code method_to_typeid}), so that they are freed with their proxies or their client.
 * Like the blocking kinds' operations these run outside any monitor, and every wait takes
 * its bound in nanoseconds, a slice of the client's timeout. A wait's outcome is a list
 * {@code [state, payload]}: {@link #READY} with the value, {@link #PENDING}, {@link #FAILED}
 * with the task's exception, {@link #CANCELLED} with a message, or {@link #END} of an iterator.
 */
final class PoolBuiltins {
    private PoolBuiltins() {}

    static final int READY = 0, PENDING = 1, FAILED = 2, CANCELLED = 3, END = 4;

    static final String RESULT = "AsyncResult", ITERATOR = "PoolIterator";

    /** Which pool methods return which managed typeid. */
    static final Map<String, String> METHOD_TO_TYPEID = Map.of(
            "applyAsync", RESULT, "submit", RESULT, "mapAsync", RESULT, "starmapAsync", RESULT,
            "imap", ITERATOR, "imapUnordered", ITERATOR);

    private static final Map<String, Map<String, Op>> KINDS = Map.of(
            "pool", pool(), "asyncresult", result(), "pooliterator", iterator());

    /** The operations of a pool kind, or null for another kind. */
    static Map<String, Op> ops(String kind) { return KINDS.get(kind); }

    /** Registers {@code typeid} as a pool made by {@code factory}, with the typeids of its results. */
    static void register(Registry registry, String typeid, ManagedFactory factory) {
        registry.add(new TypeSpec(typeid, "pool", factory, null, METHOD_TO_TYPEID, true));
        registry.add(new TypeSpec(RESULT, "asyncresult", null, null, null, false));
        registry.add(new TypeSpec(ITERATOR, "pooliterator", null, null, null, false));
    }

    /** A pool's referent: the pool, and what releases its context once it is terminated. */
    record ServerPool(Pool pool, Runnable release) {
        void free() {
            try {
                pool.terminate();
            } finally {
                release.run();
            }
        }

        @Override
        public String toString() { return pool.toString(); }
    }

    /** {@code args}: processes, an initializer or null, the tasks a worker runs before it is replaced. */
    static ManagedFactory factory(PoolMaker maker) {
        return args -> {
            PoolMaker.Made m = maker.make((Integer) args[0], (SerializableRunnable) args[1], (Integer) args[2]);
            return new ServerPool(m.pool(), m.release());
        };
    }

    /** What the server does when a pool's object is freed or the server shuts down: no worker outlives it. */
    static void free(ObjectTable.Entry e) {
        if (e.referent instanceof ServerPool p) p.free();
    }

    private static Pool pool(Object self) { return ((ServerPool) self).pool(); }

    /**
     * The arguments of a pool call whose task or inputs the client sent packed (one
     * {@code byte[]}, see {@link ManagedPool}): decoded here with a proxy of this very manager
     * rebuilt as a proxy, not as the server's stand-in, since the pool sends it on to a worker
     * that calls through it. Other calls' arguments are returned as they are.
     */
    static Object[] unpack(Object[] args, Codec codec) throws java.io.IOException {
        if (args.length != 1 || !(args[0] instanceof byte[] b)) return args;
        Token.Scope previous = Token.SCOPE.get();
        Token.SCOPE.set(t -> ClientSession.resolve(t, null));
        try {
            return (Object[]) codec.decode(b);
        } finally {
            Token.SCOPE.set(previous);
        }
    }

    private static long nanos(Object o) { return ((Number) o).longValue(); }

    private static List<Object> outcome(int state, Object payload) { return Arrays.asList(state, payload); }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map<String, Op> pool() {
        Map<String, Op> t = new HashMap<>();
        t.put("processes", (s, a) -> pool(s).processes());
        t.put("applyAsync", (s, a) -> pool(s).applyAsync((SerializableCallable) a[0]));
        t.put("submit", (s, a) -> pool(s).submit((SerializableCallable) a[0]));
        t.put("execute", (s, a) -> { pool(s).execute((Runnable) a[0]); return null; });
        t.put("mapAsync", (s, a) -> pool(s).mapAsync((SerializableFunction) a[0], (List) a[1], (Integer) a[2], null, null));
        t.put("starmapAsync", (s, a) -> pool(s).starmapAsync((StarFunction) a[0], (List) a[1], (Integer) a[2], null, null));
        t.put("imap", (s, a) -> pool(s).imap((SerializableFunction) a[0], (List) a[1], (Integer) a[2]));
        t.put("imapUnordered", (s, a) -> pool(s).imapUnordered((SerializableFunction) a[0], (List) a[1], (Integer) a[2]));
        t.put("shutdown", (s, a) -> { pool(s).shutdown(); return null; });
        t.put("terminate", (s, a) -> { pool(s).terminate(); return null; });
        t.put("shutdownNow", (s, a) -> new ArrayList<>(pool(s).shutdownNow()));
        t.put("isShutdown", (s, a) -> pool(s).isShutdown());
        t.put("isTerminated", (s, a) -> pool(s).isTerminated());
        t.put("awaitTermination", (s, a) -> pool(s).awaitTermination(nanos(a[0]), java.util.concurrent.TimeUnit.NANOSECONDS));
        return t;
    }

    private static Map<String, Op> result() {
        Map<String, Op> t = new HashMap<>();
        t.put("get", (s, a) -> {
            try {
                return outcome(READY, ((AsyncResult<?>) s).get(Duration.ofNanos(nanos(a[0]))));
            } catch (TimeoutException e) {
                return outcome(PENDING, null);
            } catch (ExecutionException e) {
                return outcome(FAILED, e.getCause());
            } catch (CancellationException e) {
                return outcome(CANCELLED, String.valueOf(e.getMessage()));
            }
        });
        t.put("cancel", (s, a) -> ((AsyncResult<?>) s).cancel(false));
        return t;
    }

    private static Map<String, Op> iterator() {
        Map<String, Op> t = new HashMap<>();
        t.put("next", (s, a) -> {
            try {
                return outcome(READY, ((PoolIterator<?>) s).next(Duration.ofNanos(nanos(a[0]))));
            } catch (TimeoutException e) {
                return outcome(PENDING, null);
            } catch (NoSuchElementException e) {
                return outcome(END, null);
            } catch (ExecutionException e) {
                return outcome(FAILED, e.getCause());
            } catch (CancellationException e) {
                return outcome(CANCELLED, String.valueOf(e.getMessage()));
            }
        });
        t.put("cancel", (s, a) -> { ((PoolIterator<?>) s).cancel(); return null; });
        return t;
    }
}
