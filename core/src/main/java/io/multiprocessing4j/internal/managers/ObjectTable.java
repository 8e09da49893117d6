package io.multiprocessing4j.internal.managers;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's managed objects by id, each with its reference count: the sum, over every
 * client session and the server's own stand-ins for nested proxies, of the references
 * they hold. An object leaves the table when its count falls to zero. Thread-safe.
 */
final class ObjectTable {
    static final class Entry {
        final long id;
        final TypeSpec spec;
        final Object referent;
        final Map<String, Op> ops;
        final boolean locked; // calls run under the referent's monitor (the built-in containers)
        final boolean builtin; // ops from a table, not by reflection
        int refs;

        Entry(long id, TypeSpec spec, Object referent, Map<String, Op> ops, boolean locked, boolean builtin) {
            this.id = id;
            this.spec = spec;
            this.referent = referent;
            this.ops = ops;
            this.locked = locked;
            this.builtin = builtin;
        }
    }

    private final Map<Long, Entry> byId = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong(1);

    /** Adds {@code referent} with one reference, which the caller hands to its holder. */
    Entry add(TypeSpec spec, Object referent) {
        long id = next.getAndIncrement();
        Map<String, Op> blocking = SyncBuiltins.ops(spec.kind()); // these synchronize themselves
        Map<String, Op> ops = blocking != null ? blocking : Builtins.ops(spec.kind());
        Entry e = ops != null
                ? new Entry(id, spec, referent, ops, blocking == null, true)
                : new Entry(id, spec, referent, Reflect.ops(referent.getClass(), spec.exposed()), false, false);
        e.refs = 1;
        byId.put(id, e);
        return e;
    }

    /** The entry, or null when there is no such object (never made, or freed). */
    Entry get(long id) { return byId.get(id); }

    /** @return false when there is no such object */
    boolean incref(long id) {
        Entry e = byId.get(id);
        if (e == null) return false;
        synchronized (e) {
            if (e.refs == 0) return false; // being removed
            e.refs++;
        }
        return true;
    }

    void decref(long id) {
        Entry e = byId.get(id);
        if (e == null) return;
        synchronized (e) {
            if (e.refs == 0 || --e.refs > 0) return;
        }
        byId.remove(id);
        PoolBuiltins.free(e);
    }

    int size() { return byId.size(); }

    /** Empties the table at shutdown; a pool among the objects is terminated. */
    void clear() {
        for (Entry e : byId.values()) PoolBuiltins.free(e);
        byId.clear();
    }

    Iterable<Entry> entries() { return byId.values(); }
}
