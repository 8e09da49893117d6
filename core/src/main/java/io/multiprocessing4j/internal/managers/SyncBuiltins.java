package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.function.SerializableRunnable;
import io.multiprocessing4j.managers.ManagedFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * The server side of the blocking typeids ({@code Lock}, {@code RLock}, {@code Semaphore},
 * {@code BoundedSemaphore}, {@code Condition}, {@code Event}, {@code Barrier},
 * {@code Queue}, {@code JoinableQueue}): their factories and the operations their proxies
 * call. Unlike the containers' these do not run under the referent's monitor (a wait there
 * would stop every other call): each referent synchronizes itself, and every wait takes
 * its bound in nanoseconds, a slice of the client's timeout. Who calls is the thread id
 * the client sends first, with the session of the channel (see {@link Owner}).
 */
final class SyncBuiltins {
    private SyncBuiltins() {}

    private static final Map<String, Map<String, Op>> KINDS = new HashMap<>();

    static {
        KINDS.put("lock", lock());
        KINDS.put("rlock", lock());
        KINDS.put("semaphore", semaphore());
        KINDS.put("boundedsemaphore", semaphore());
        KINDS.put("condition", condition());
        KINDS.put("event", event());
        KINDS.put("barrier", barrier());
        KINDS.put("queue", queue());
        KINDS.put("joinablequeue", queue());
    }

    /** The operations of a blocking kind (the pool's kinds too: {@link PoolBuiltins}), or null for another kind. */
    static Map<String, Op> ops(String kind) {
        Map<String, Op> t = KINDS.get(kind);
        return t != null ? t : PoolBuiltins.ops(kind);
    }

    // ------------------------------------------------------------------ factories

    /** The built-in typeids' factories, for {@code BaseManager.factoryOf}: what a user's factory of a blocking kind calls to make its object. */
    static final Map<String, ManagedFactory> FACTORIES = Map.of(
            "Lock", SyncBuiltins::newLock, "RLock", SyncBuiltins::newRLock, "Semaphore", SyncBuiltins::newSemaphore,
            "BoundedSemaphore", SyncBuiltins::newBoundedSemaphore, "Condition", SyncBuiltins::newCondition,
            "Event", SyncBuiltins::newEvent, "Barrier", SyncBuiltins::newBarrier,
            "Queue", SyncBuiltins::newQueue, "JoinableQueue", SyncBuiltins::newJoinableQueue);

    /**
     * Whether {@code referent} is what a proxy of {@code kind} calls, for the blocking and pool
     * kinds (true for the others): a user's factory registered with such a proxy type must
     * return what the built-in factory of that kind makes.
     */
    static boolean fits(String kind, Object referent) {
        return switch (kind) {
            case "lock" -> referent instanceof ServerLock l && !l.reentrant;
            case "rlock" -> referent instanceof ServerLock l && l.reentrant;
            case "semaphore" -> referent instanceof ServerSemaphore;
            case "boundedsemaphore" -> referent instanceof ServerSemaphore s && s.bounded();
            case "condition" -> referent instanceof ServerCondition;
            case "event" -> referent instanceof ServerEvent;
            case "barrier" -> referent instanceof ServerBarrier;
            case "queue" -> referent instanceof ServerQueue;
            case "joinablequeue" -> referent instanceof ServerQueue q && q.joinable;
            case "pool" -> referent instanceof PoolBuiltins.ServerPool;
            default -> true;
        };
    }

    static Object newLock(Object... args) { return new ServerLock(false); }

    static Object newRLock(Object... args) { return new ServerLock(true); }

    static Object newSemaphore(Object... args) { return new ServerSemaphore((Integer) args[0], false); }

    static Object newBoundedSemaphore(Object... args) { return new ServerSemaphore((Integer) args[0], true); }

    /** {@code args}: the lock's proxy, which arrives here as its {@link ServerRef}. */
    static Object newCondition(Object... args) {
        if (!(args[0] instanceof ServerRef r)) throw new IllegalArgumentException("a condition's lock must be a Lock or RLock of the same manager");
        return new ServerCondition(r);
    }

    static Object newEvent(Object... args) { return new ServerEvent(); }

    /** {@code args}: parties, the action or null, the default timeout in nanoseconds (-1: none). */
    static Object newBarrier(Object... args) {
        return new ServerBarrier((Integer) args[0], (SerializableRunnable) args[1], ((Number) args[2]).longValue());
    }

    static Object newQueue(Object... args) { return new ServerQueue((Integer) args[0], false); }

    static Object newJoinableQueue(Object... args) { return new ServerQueue((Integer) args[0], true); }

    // ------------------------------------------------------------------ operations

    private static long nanos(Object o) { return ((Number) o).longValue(); }

    private static Map<String, Op> lock() {
        Map<String, Op> t = new HashMap<>();
        t.put("acquire", (s, a) -> ((ServerLock) s).acquire(Owner.of(a[0]), nanos(a[1]), (Integer) a[2]));
        t.put("release", (s, a) -> { ((ServerLock) s).release(Owner.of(a[0])); return null; });
        t.put("locked", (s, a) -> ((ServerLock) s).locked());
        t.put("heldBy", (s, a) -> ((ServerLock) s).heldBy(Owner.of(a[0])));
        t.put("holdCount", (s, a) -> ((ServerLock) s).holdCount(Owner.of(a[0])));
        t.put("ownerDied", (s, a) -> ((ServerLock) s).ownerDied(Owner.of(a[0])));
        return t;
    }

    private static Map<String, Op> semaphore() {
        Map<String, Op> t = new HashMap<>();
        t.put("acquire", (s, a) -> ((ServerSemaphore) s).acquire(nanos(a[0])));
        t.put("release", (s, a) -> { ((ServerSemaphore) s).release(); return null; });
        t.put("value", (s, a) -> ((ServerSemaphore) s).value());
        return t;
    }

    private static Map<String, Op> condition() {
        Map<String, Op> t = new HashMap<>();
        t.put("lock", (s, a) -> ((ServerCondition) s).lockRef());
        t.put("begin", (s, a) -> ((ServerCondition) s).begin(Owner.of(a[0])));
        t.put("awaitSignal", (s, a) -> ((ServerCondition) s).awaitSignal(nanos(a[0]), nanos(a[1])));
        t.put("end", (s, a) -> ((ServerCondition) s).end(nanos(a[0])));
        t.put("signal", (s, a) -> { ((ServerCondition) s).signal(Owner.of(a[0]), (Integer) a[1]); return null; });
        return t;
    }

    private static Map<String, Op> event() {
        Map<String, Op> t = new HashMap<>();
        t.put("isSet", (s, a) -> ((ServerEvent) s).isSet());
        t.put("set", (s, a) -> { ((ServerEvent) s).set(); return null; });
        t.put("clear", (s, a) -> { ((ServerEvent) s).clear(); return null; });
        t.put("await", (s, a) -> ((ServerEvent) s).await(nanos(a[0])));
        return t;
    }

    private static Map<String, Op> barrier() {
        Map<String, Op> t = new HashMap<>();
        t.put("arrive", (s, a) -> ((ServerBarrier) s).arrive(ServerRef.GIVE_TO.get()));
        t.put("awaitCycle", (s, a) -> ((ServerBarrier) s).awaitCycle(nanos(a[0]), nanos(a[1])));
        t.put("leave", (s, a) -> ((ServerBarrier) s).leave(nanos(a[0])));
        t.put("reset", (s, a) -> { ((ServerBarrier) s).reset(); return null; });
        t.put("abort", (s, a) -> { ((ServerBarrier) s).abort(); return null; });
        t.put("parties", (s, a) -> ((ServerBarrier) s).parties);
        t.put("timeout", (s, a) -> ((ServerBarrier) s).timeoutNanos);
        t.put("waiting", (s, a) -> ((ServerBarrier) s).waiting());
        t.put("isBroken", (s, a) -> ((ServerBarrier) s).isBroken());
        return t;
    }

    private static Map<String, Op> queue() {
        Map<String, Op> t = new HashMap<>();
        t.put("put", (s, a) -> ((ServerQueue) s).put(a[0], nanos(a[1])));
        t.put("get", (s, a) -> ((ServerQueue) s).get(nanos(a[0])));
        t.put("drain", (s, a) -> ((ServerQueue) s).drain((Integer) a[0]));
        t.put("remove", (s, a) -> ((ServerQueue) s).remove(a[0]));
        t.put("clear", (s, a) -> { ((ServerQueue) s).clear(); return null; });
        t.put("contains", (s, a) -> ((ServerQueue) s).contains(a[0]));
        t.put("peek", (s, a) -> ((ServerQueue) s).peek());
        t.put("size", (s, a) -> ((ServerQueue) s).size());
        t.put("full", (s, a) -> ((ServerQueue) s).full());
        t.put("maxsize", (s, a) -> ((ServerQueue) s).maxsize);
        t.put("snapshot", (s, a) -> ((ServerQueue) s).snapshot());
        t.put("taskDone", (s, a) -> { ((ServerQueue) s).taskDone(); return null; });
        t.put("join", (s, a) -> ((ServerQueue) s).join(nanos(a[0])));
        t.put("unfinished", (s, a) -> ((ServerQueue) s).unfinished());
        return t;
    }
}
