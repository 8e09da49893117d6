package io.multiprocessing4j.internal.managers;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server side of a managed {@code Condition} over a {@link ServerLock}. A client's wait
 * is three steps, so that no step blocks a server thread for longer than a slice:
 * {@link #begin} registers the waiter and then lets go of the lock (in that order, so a
 * signal sent as soon as the lock is free finds it), {@link #awaitSignal} waits a slice for
 * the signal, {@link #end} deregisters it; the client then takes the lock back. A signal
 * marks waiters, so one sent between two slices is not lost. A waiter whose client dies is
 * removed, and a signal it had not consumed passes to the next waiter.
 */
final class ServerCondition {
    final ServerLock lock;
    private final Object lockRef; // the lock's managed object, kept alive as long as this condition
    private final Map<Long, Waiter> waiters = new LinkedHashMap<>(); // in arrival order
    private long nextId;

    private static final class Waiter {
        final Owner who;
        int depth;
        boolean signalled;

        Waiter(Owner who) { this.who = who; }
    }

    /** @param lockRef the {@link ServerRef} of the lock's managed object */
    ServerCondition(ServerRef lockRef) {
        this.lockRef = lockRef;
        if (!(lockRef.referent() instanceof ServerLock l)) throw new IllegalArgumentException("a condition's lock must be this manager's Lock or RLock");
        this.lock = l;
    }

    /** The lock's managed object: it travels back to the client as a proxy. */
    Object lockRef() { return lockRef; }

    /**
     * Registers {@code who} as a waiter and releases the lock completely.
     *
     * @return the waiter's id
     * @throws IllegalMonitorStateException when {@code who} does not hold the lock
     */
    long begin(Owner who) {
        Waiter w = new Waiter(who);
        long id;
        synchronized (this) {
            id = ++nextId;
            waiters.put(id, w);
        }
        int depth;
        try {
            depth = lock.releaseAll(who);
        } catch (IllegalMonitorStateException e) {
            synchronized (this) {
                waiters.remove(id);
            }
            throw e;
        }
        synchronized (this) {
            w.depth = depth;
        }
        who.session().onEnd(w, () -> gone(id));
        return id;
    }

    /** Waits at most {@code nanos} for waiter {@code id} to be signalled; whether it was. */
    synchronized boolean awaitSignal(long id, long nanos) throws InterruptedException {
        Waiter w = waiters.get(id);
        if (w == null) throw new IllegalStateException("no waiter " + id);
        long deadline = System.nanoTime() + nanos;
        while (!w.signalled) {
            if (!Owner.waitUntil(this, deadline)) return false;
        }
        return true;
    }

    /** Ends waiter {@code id}'s wait: {@code [signalled, depth]}, the depth at which it takes the lock back. */
    synchronized List<Object> end(long id) {
        Waiter w = waiters.remove(id);
        if (w == null) throw new IllegalStateException("no waiter " + id);
        w.who.session().cancelOnEnd(w);
        return List.of(w.signalled, w.depth);
    }

    /**
     * Python's {@code notify(n)}: marks up to {@code n} of the waiters not yet signalled.
     *
     * @throws IllegalMonitorStateException when {@code who} does not hold the lock
     */
    void signal(Owner who, int n) {
        if (!lock.heldBy(who)) throw new IllegalMonitorStateException("cannot notify on un-acquired lock");
        synchronized (this) {
            mark(n);
        }
    }

    private void mark(int n) {
        int marked = 0;
        for (Iterator<Waiter> it = waiters.values().iterator(); it.hasNext() && marked < n; ) {
            Waiter w = it.next();
            if (!w.signalled) {
                w.signalled = true;
                marked++;
            }
        }
        if (marked > 0) notifyAll();
    }

    /** The end hook of a waiter's session. */
    private synchronized void gone(long id) {
        Waiter w = waiters.remove(id);
        if (w != null && w.signalled) mark(1);
    }

    synchronized int waiting() { return waiters.size(); }

    @Override
    public synchronized String toString() { return "Condition(" + lock + ", " + waiters.size() + " waiting)"; }
}
