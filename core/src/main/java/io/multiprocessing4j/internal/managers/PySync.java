package io.multiprocessing4j.internal.managers;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The methods CPython's proxies of a queue ({@code queue.Queue}'s public methods),
 * {@code Lock}/{@code RLock}/{@code Semaphore}/{@code BoundedSemaphore} ({@code AcquirerProxy})
 * and {@code Event} ({@code EventProxy}) call, on the server objects the Java proxies use.
 * A CPython client waits inside its call, as on CPython's server: the connection's thread
 * waits in slices so that a server shutting down ends the wait. The caller of a lock is its
 * connection, which is one thread of the client (CPython opens one per thread).
 */
final class PySync {
    private PySync() {}

    /** One slice of a wait: whether it is done, having waited at most {@code nanos}. */
    private interface Slice {
        boolean attempt(long nanos) throws InterruptedException;
    }

    private static final long SLICE = 100_000_000L;

    /** Runs {@code slice} until it is done or {@code nanos} ({@link PyCall#FOREVER}: no limit) have passed. */
    private static boolean await(long nanos, Slice slice) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (true) {
            long left = nanos == PyCall.FOREVER ? SLICE : Math.min(SLICE, deadline - System.nanoTime());
            if (slice.attempt(Math.max(0, left))) return true;
            if (nanos != PyCall.FOREVER && deadline - System.nanoTime() <= 0) return false;
            if (Thread.interrupted()) throw new InterruptedException("the manager is shutting down");
        }
    }

    static Map<String, PyOp> queue(boolean joinable) {
        Map<String, PyOp> t = new LinkedHashMap<>();
        t.put("put", (s, c) -> put((ServerQueue) s, c.required(0, "item"), PyCall.truth(c.arg(1, "block", true)), c.arg(2, "timeout", null)));
        t.put("put_nowait", (s, c) -> put((ServerQueue) s, c.required(0, "item"), false, null));
        t.put("get", (s, c) -> get((ServerQueue) s, PyCall.truth(c.arg(0, "block", true)), c.arg(1, "timeout", null)));
        t.put("get_nowait", (s, c) -> get((ServerQueue) s, false, null));
        t.put("qsize", (s, c) -> ((ServerQueue) s).size());
        t.put("empty", (s, c) -> ((ServerQueue) s).size() == 0);
        t.put("full", (s, c) -> ((ServerQueue) s).full());
        if (joinable) {
            t.put("task_done", (s, c) -> {
                try {
                    ((ServerQueue) s).taskDone();
                } catch (IllegalStateException e) {
                    throw PyError.valueError("task_done() called too many times");
                }
                return null;
            });
            t.put("join", (s, c) -> { await(PyCall.FOREVER, n -> ((ServerQueue) s).join(n)); return null; });
        }
        return Collections.unmodifiableMap(t);
    }

    private static Object put(ServerQueue q, Object item, boolean block, Object timeout) throws InterruptedException {
        long nanos = block ? PyCall.timeout(timeout, false) : 0;
        if (!await(nanos, n -> q.put(item, n))) throw PyError.of("queue", "Full");
        return null;
    }

    private static Object get(ServerQueue q, boolean block, Object timeout) throws InterruptedException {
        long nanos = block ? PyCall.timeout(timeout, false) : 0;
        Object[] got = new Object[1];
        boolean ok = await(nanos, n -> {
            List<Object> one = q.get(n);
            if (one.isEmpty()) return false;
            got[0] = one.get(0);
            return true;
        });
        if (!ok) throw PyError.of("_queue", "Empty");
        return got[0];
    }

    static Map<String, PyOp> lock() {
        Map<String, PyOp> t = new LinkedHashMap<>();
        t.put("acquire", (s, c) -> {
            boolean block = PyCall.truth(c.arg(0, "blocking", true));
            Object timeout = c.arg(1, "timeout", -1);
            if (!block && timeout != null && PyCall.timeout(timeout, true) != PyCall.FOREVER) {
                throw PyError.valueError("can't specify a timeout for a non-blocking call");
            }
            long nanos = block ? PyCall.timeout(timeout, true) : 0;
            ServerLock lock = (ServerLock) s;
            return await(nanos, n -> lock.acquire(c.owner(), n, 1) != ServerLock.NOT_TAKEN);
        });
        t.put("release", (s, c) -> {
            try {
                ((ServerLock) s).release(c.owner());
            } catch (IllegalStateException | IllegalMonitorStateException e) {
                throw PyError.builtin("RuntimeError", e.getMessage());
            }
            return null;
        });
        t.put("locked", (s, c) -> ((ServerLock) s).locked());
        return Collections.unmodifiableMap(t);
    }

    static Map<String, PyOp> semaphore() {
        Map<String, PyOp> t = new LinkedHashMap<>();
        t.put("acquire", (s, c) -> {
            boolean block = PyCall.truth(c.arg(0, "blocking", true));
            Object timeout = c.arg(1, "timeout", null);
            if (!block && timeout != null) throw PyError.valueError("can't specify timeout for non-blocking acquire");
            long nanos = block ? PyCall.timeout(timeout, false) : 0;
            return await(nanos, n -> ((ServerSemaphore) s).acquire(n));
        });
        t.put("release", (s, c) -> {
            int n = PyCall.integer(c.arg(0, "n", 1), "n");
            if (n < 1) throw PyError.valueError("n must be one or more");
            try {
                for (int i = 0; i < n; i++) ((ServerSemaphore) s).release();
            } catch (IllegalStateException e) {
                throw PyError.valueError("Semaphore released too many times");
            }
            return null;
        });
        return Collections.unmodifiableMap(t);
    }

    static Map<String, PyOp> event() {
        Map<String, PyOp> t = new LinkedHashMap<>();
        t.put("is_set", (s, c) -> ((ServerEvent) s).isSet());
        t.put("set", (s, c) -> { ((ServerEvent) s).set(); return null; });
        t.put("clear", (s, c) -> { ((ServerEvent) s).clear(); return null; });
        t.put("wait", (s, c) -> {
            long nanos = PyCall.timeout(c.arg(0, "timeout", null), false);
            return await(nanos, n -> ((ServerEvent) s).await(n));
        });
        return Collections.unmodifiableMap(t);
    }
}
