package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.managers.ArrayProxy;
import io.multiprocessing4j.managers.AutoProxy;
import io.multiprocessing4j.managers.DictProxy;
import io.multiprocessing4j.managers.ListProxy;
import io.multiprocessing4j.managers.Namespace;
import io.multiprocessing4j.managers.SetProxy;
import io.multiprocessing4j.managers.ValueProxy;
import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.queues.JoinableQueue;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.sync.Barrier;
import io.multiprocessing4j.sync.BoundedSemaphore;
import io.multiprocessing4j.sync.Condition;
import io.multiprocessing4j.sync.Event;
import io.multiprocessing4j.sync.Lock;
import io.multiprocessing4j.sync.RLock;
import io.multiprocessing4j.sync.Semaphore;

/** Builds the proxy class a token's kind names. */
final class Proxies {
    private Proxies() {}

    /** The kind of a proxy type, as tokens and registrations name it: a proxy interface of the managers package, or a queue, lock or pool type a manager hands out. */
    static String kindOf(Class<?> type) {
        if (type == DictProxy.class) return "dict";
        if (type == ListProxy.class) return "list";
        if (type == SetProxy.class) return "set";
        if (type == Namespace.class) return "namespace";
        if (type == ValueProxy.class) return "value";
        if (type == ArrayProxy.class) return "array";
        if (type == AutoProxy.class) return "auto";
        if (type == Lock.class) return "lock";
        if (type == RLock.class) return "rlock";
        if (type == Semaphore.class) return "semaphore";
        if (type == BoundedSemaphore.class) return "boundedsemaphore";
        if (type == Condition.class) return "condition";
        if (type == Event.class) return "event";
        if (type == Barrier.class) return "barrier";
        if (type == Queue.class) return "queue";
        if (type == JoinableQueue.class) return "joinablequeue";
        if (type == Pool.class) return "pool";
        throw new IllegalArgumentException("not a proxy type a manager hands out (a proxy interface of io.multiprocessing4j.managers, "
                + "or Lock, RLock, Semaphore, BoundedSemaphore, Condition, Event, Barrier, Queue, JoinableQueue, Pool): " + type.getName());
    }

    static ManagedObject make(Token t, Session s) {
        return switch (t.kind) {
            case "dict" -> new ManagedDict<>(t, s);
            case "list" -> new ManagedList<>(t, s);
            case "set" -> new ManagedSet<>(t, s);
            case "namespace" -> new ManagedNamespace(t, s);
            case "value" -> new ManagedValue<>(t, s);
            case "array" -> new ManagedArray(t, s);
            case "lock" -> new ManagedLock(t, s);
            case "rlock" -> new ManagedRLock(t, s);
            case "semaphore" -> new ManagedSemaphore(t, s);
            case "boundedsemaphore" -> new ManagedBoundedSemaphore(t, s);
            case "condition" -> new ManagedCondition(t, s);
            case "event" -> new ManagedEvent(t, s);
            case "barrier" -> new ManagedBarrier(t, s);
            case "queue" -> new ManagedQueue<>(t, s);
            case "joinablequeue" -> new ManagedJoinableQueue<>(t, s);
            case "pool" -> new ManagedPool(t, s);
            case "asyncresult" -> new ManagedAsyncResult<>(t, s);
            case "pooliterator" -> new ManagedPoolIterator<>(t, s);
            default -> new ManagedAuto(t, s);
        };
    }
}
