package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.managers.ArrayProxy;
import io.multiprocessing4j.managers.AutoProxy;
import io.multiprocessing4j.managers.BaseProxy;
import io.multiprocessing4j.managers.DictProxy;
import io.multiprocessing4j.managers.ListProxy;
import io.multiprocessing4j.managers.Namespace;
import io.multiprocessing4j.managers.SetProxy;
import io.multiprocessing4j.managers.ValueProxy;

/** Builds the proxy class a token's kind names. */
final class Proxies {
    private Proxies() {}

    /** The kind of a proxy type, as tokens and registrations name it. */
    static String kindOf(Class<? extends BaseProxy> type) {
        if (type == DictProxy.class) return "dict";
        if (type == ListProxy.class) return "list";
        if (type == SetProxy.class) return "set";
        if (type == Namespace.class) return "namespace";
        if (type == ValueProxy.class) return "value";
        if (type == ArrayProxy.class) return "array";
        if (type == AutoProxy.class) return "auto";
        throw new IllegalArgumentException("not a proxy type of io.multiprocessing4j.managers: " + type.getName());
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
