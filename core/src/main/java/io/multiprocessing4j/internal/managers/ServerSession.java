package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.connection.Connection;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One client process as the server sees it: the references its proxies hold and the
 * channels it calls on. It lives as long as the client's first (control) connection; when
 * that ends, closed or by the client's death, its references are dropped and its channels
 * closed. Thread-safe.
 */
final class ServerSession {
    final long id;
    final long pid; // the client's, for debugInfo
    private final ObjectTable table;
    private final Map<Long, Integer> held = new ConcurrentHashMap<>();
    private final Set<Connection> channels = ConcurrentHashMap.newKeySet();
    private final Map<Object, Runnable> onEnd = new ConcurrentHashMap<>();
    private volatile boolean ended;

    ServerSession(long id, long pid, ObjectTable table) {
        this.id = id;
        this.pid = pid;
        this.table = table;
    }

    /** Counts, for this session, a reference the table already counted (a new object's first one). */
    void adopt(long objectId) { held.merge(objectId, 1, Integer::sum); }

    /** @return false when there is no such object */
    boolean incref(long objectId) {
        if (!table.incref(objectId)) return false;
        held.merge(objectId, 1, Integer::sum);
        return true;
    }

    void decref(long objectId) {
        boolean[] had = {false};
        held.computeIfPresent(objectId, (k, n) -> {
            had[0] = true;
            return n == 1 ? null : n - 1;
        });
        if (had[0]) table.decref(objectId);
    }

    void addChannel(Connection c) {
        channels.add(c);
        if (ended) close(c);
    }

    void removeChannel(Connection c) { channels.remove(c); }

    boolean ended() { return ended; }

    /**
     * Runs {@code hook} when this session ends (at once if it has): how a lock held or a wait
     * begun by a client that dies is undone. One hook per {@code key}; a later one replaces it.
     */
    void onEnd(Object key, Runnable hook) {
        onEnd.put(key, hook);
        if (ended && onEnd.remove(key, hook)) hook.run(); // ended meanwhile: end() may have missed it
    }

    /** Forgets the hook of {@code key}: what it would undo was undone by its owner. */
    void cancelOnEnd(Object key) { onEnd.remove(key); }

    int references() { return held.values().stream().mapToInt(Integer::intValue).sum(); }

    /** Drops every reference this client held and closes its channels. Idempotent. */
    void end() {
        ended = true;
        for (Object key : onEnd.keySet()) { // before the references go: a hook may use its object
            Runnable hook = onEnd.remove(key);
            if (hook != null) hook.run();
        }
        for (Long id : held.keySet()) {
            Integer n = held.remove(id);
            if (n != null) for (int i = 0; i < n; i++) table.decref(id);
        }
        for (Connection c : channels) close(c);
        channels.clear();
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already broken: nothing more to release
        }
    }
}
