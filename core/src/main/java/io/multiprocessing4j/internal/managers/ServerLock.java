package io.multiprocessing4j.internal.managers;

/**
 * The server side of a managed {@code Lock} (any thread may release it, as Python's) or
 * {@code RLock} (the holder only, as often as it acquired). Its holder is an {@link Owner};
 * a holder whose client dies lets go through its session's end hook, and the next holder
 * is told ({@link #ownerDied}). Every wait is bounded by the client's slice, so a waiting
 * call holds its server thread briefly and another client's calls go on.
 */
final class ServerLock {
    /** {@link #acquire}'s results. */
    static final int NOT_TAKEN = 0, TAKEN = 1, TAKEN_OVER = 2;

    final boolean reentrant;
    private Owner holder;
    private int count;
    private boolean tookOver;   // the holder took the lock from a dead one
    private boolean holderDied; // the last holder died holding it; the next one is told

    ServerLock(boolean reentrant) { this.reentrant = reentrant; }

    /**
     * Takes the lock for {@code who} at {@code depth} (1, or what a condition wait saved),
     * waiting at most {@code nanos}.
     *
     * @return {@link #NOT_TAKEN}, {@link #TAKEN}, or {@link #TAKEN_OVER} from a dead holder
     */
    synchronized int acquire(Owner who, long nanos, int depth) throws InterruptedException {
        if (reentrant && who.equals(holder)) {
            count += depth;
            return TAKEN;
        }
        long deadline = System.nanoTime() + nanos;
        while (holder != null) {
            if (!Owner.waitUntil(this, deadline)) return NOT_TAKEN;
        }
        holder = who;
        count = depth;
        tookOver = holderDied;
        holderDied = false;
        who.session().onEnd(this, () -> holderGone(who));
        return tookOver ? TAKEN_OVER : TAKEN;
    }

    /**
     * Python's {@code release()}.
     *
     * @throws IllegalStateException when the lock is not held
     * @throws IllegalMonitorStateException when an RLock is held by another thread
     */
    synchronized void release(Owner who) {
        if (holder == null) throw new IllegalStateException(reentrant ? "cannot release un-acquired lock" : "release unlocked lock");
        if (reentrant && !who.equals(holder)) throw new IllegalMonitorStateException("cannot release un-acquired lock: another thread holds it");
        if (reentrant && --count > 0) return;
        letGo();
    }

    /**
     * Lets go completely before a condition wait.
     *
     * @return the depth that {@link #acquire} restores afterwards
     * @throws IllegalMonitorStateException when {@code who} does not hold the lock
     */
    synchronized int releaseAll(Owner who) {
        if (!who.equals(holder)) throw new IllegalMonitorStateException("the condition's lock is not held by this thread");
        int depth = count;
        letGo();
        return depth;
    }

    private void letGo() {
        holder.session().cancelOnEnd(this);
        holder = null;
        count = 0;
        tookOver = false;
        notifyAll(); // every waiter rechecks: one with an expired slice must not swallow the wake-up
    }

    /** The end hook of the holder's session: its client is gone. */
    private synchronized void holderGone(Owner who) {
        if (!who.equals(holder)) return;
        holder = null;
        count = 0;
        tookOver = false;
        holderDied = true;
        notifyAll();
    }

    synchronized boolean locked() { return holder != null; }

    synchronized boolean heldBy(Owner who) { return who.equals(holder); }

    synchronized int holdCount(Owner who) { return who.equals(holder) ? count : 0; }

    synchronized boolean ownerDied(Owner who) { return tookOver && who.equals(holder); }

    @Override
    public synchronized String toString() {
        return (reentrant ? "RLock" : "Lock") + "(" + (holder == null ? "unlocked" : "held by thread " + holder.thread() + " of pid " + holder.session().pid) + ")";
    }
}
