package io.multiprocessing4j.distributed.internal;

import io.multiprocessing4j.queues.JoinableQueue;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.sharedctypes.RawValue;
import io.multiprocessing4j.sharedctypes.TypeCode;
import io.multiprocessing4j.sharedctypes.Value;
import io.multiprocessing4j.sync.Barrier;
import io.multiprocessing4j.sync.BoundedSemaphore;
import io.multiprocessing4j.sync.Condition;
import io.multiprocessing4j.sync.Event;
import io.multiprocessing4j.sync.Lock;
import io.multiprocessing4j.sync.RLock;
import io.multiprocessing4j.sync.Semaphore;

import java.time.Duration;

/**
 * Makes a context's objects, one per kind and name ({@link Home#object}), and rebuilds them
 * from their serialized form ({@link Ref}). An object asked for again under the same name
 * with other parameters (a different bound, number of parties, ...) is refused.
 */
public final class Factory {
    private Factory() {}

    public static Lock lock(Home h, String name) {
        return h.object("lock", name, n -> new RedisLock(h, n));
    }

    public static RLock rlock(Home h, String name) {
        return h.object("rlock", name, n -> new RedisRLock(h, n));
    }

    public static Semaphore semaphore(Home h, String name, int value) {
        return same(h.object("sem", name, n -> new RedisSemaphore(h, n, value, false)), value, name);
    }

    public static BoundedSemaphore boundedSemaphore(Home h, String name, int value) {
        return same(h.object("bsem", name, n -> new RedisSemaphore(h, n, value, true)), value, name);
    }

    private static RedisSemaphore same(RedisSemaphore s, int value, String name) {
        if (s.initial() != value) throw new IllegalArgumentException("the semaphore '" + name + "' was made with " + s.initial());
        return s;
    }

    public static Event event(Home h, String name) {
        return h.object("event", name, n -> new RedisEvent(h, n));
    }

    public static Barrier barrier(Home h, String name, int parties, Runnable action, Duration timeout) {
        Barrier b = h.object("barrier", name, n -> new RedisBarrier(h, n, parties, action, timeout));
        if (((RedisBarrier) b).partiesGiven() != parties)
            throw new IllegalArgumentException("the barrier '" + name + "' was made for " + ((RedisBarrier) b).partiesGiven());
        return b;
    }

    /** A condition named {@code name} over {@code lock} (a distributed Lock or RLock of this context). */
    public static Condition condition(Home h, String name, Lock lock) {
        RedisCondition.nameOf(lock);
        Condition c = h.object("condition", name, n -> new RedisCondition(h, n, lock));
        if (c.lock() != lock) throw new IllegalArgumentException("the condition '" + name + "' was made with another lock");
        return c;
    }

    /** A condition with a generated name, as {@code lock.newCondition()} makes. */
    static Condition condition(Home h, Lock lock) {
        return condition(h, Home.generatedName("condition"), lock);
    }

    public static RawValue rawValue(Home h, String name, char code, Object initial) {
        return h.object("rawvalue", name, n -> new RedisRawValue(h, n, TypeCode.of(code), initial));
    }

    public static Value value(Home h, String name, char code, Object initial, Lock lock) {
        return h.object("value", name, n -> new RedisValue(h, n, TypeCode.of(code), initial,
                lock != null ? lock : rlock(h, "value:" + n)));
    }

    public static <E> Queue<E> queue(Home h, String name, int maxsize) {
        return h.object("queue", name, n -> new RedisQueue<E>(h, n, maxsize));
    }

    public static <E> JoinableQueue<E> joinableQueue(Home h, String name, int maxsize) {
        return h.object("joinablequeue", name, n -> new RedisJoinableQueue<E>(h, n, maxsize));
    }

    /** The object {@code ref} names, in this JVM's context {@code h}. */
    static Object attach(Home h, Ref ref) {
        String kind = ref.kind();
        String name = ref.name();
        long[] p = ref.params();
        if (kind.startsWith("condition:")) {
            String[] k = kind.split(":", 3);
            return condition(h, name, k[1].equals("rlock") ? rlock(h, k[2]) : lock(h, k[2]));
        }
        if (kind.startsWith("rawvalue:")) {
            String[] k = kind.split(":", 3);
            return rawValue(h, name, k[1].charAt(0), number(k[1].charAt(0), k[2]));
        }
        if (kind.startsWith("value:")) {
            String[] k = kind.split(":", 4);
            Lock lock = p[0] == 1 ? rlock(h, k[3]) : lock(h, k[3]);
            return value(h, name, k[1].charAt(0), number(k[1].charAt(0), k[2]), lock);
        }
        return switch (kind) {
            case "lock" -> lock(h, name);
            case "rlock" -> rlock(h, name);
            case "sem" -> semaphore(h, name, (int) p[0]);
            case "bsem" -> boundedSemaphore(h, name, (int) p[0]);
            case "event" -> event(h, name);
            case "barrier" -> barrier(h, name, (int) p[0], (Runnable) ref.extra(), p[1] < 0 ? null : Duration.ofMillis(p[1]));
            case "queue" -> queue(h, name, (int) p[0]);
            case "joinablequeue" -> joinableQueue(h, name, (int) p[0]);
            default -> Containers.attach(h, kind, name);
        };
    }

    private static Object number(char code, String text) {
        return code == 'd' ? (Object) Double.parseDouble(text) : (Object) Long.parseLong(text);
    }
}
