package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.function.SerializableRunnable;

import java.util.List;
import java.util.concurrent.BrokenBarrierException;

/**
 * The server side of a managed {@code Barrier}. A client arrives once ({@link #arrive}) and
 * then waits in slices for its cycle's outcome ({@link #awaitCycle}); one that times out or
 * is interrupted breaks the cycle ({@link #leave}) unless it has passed meanwhile. Cycles
 * are numbered; a broken one is remembered as the last broken cycle, which a client still
 * waiting on it reads within a slice; a client that dies with a party waiting breaks its
 * cycle, so the others are not hung. The action runs here, in the last arriving client's
 * call, as Python's manager runs it in the server.
 */
final class ServerBarrier {
    static final int WAITING = 0, PASSED = 1, BROKEN = -1;

    final int parties;
    final long timeoutNanos; // the default for an await without one, -1 for none
    private final SerializableRunnable action;
    private int count;
    private long cycle;
    private long lastBroken = -1;
    private boolean broken;

    ServerBarrier(int parties, SerializableRunnable action, long timeoutNanos) {
        if (parties <= 0) throw new IllegalArgumentException("parties must be > 0");
        this.parties = parties;
        this.timeoutNanos = timeoutNanos;
        this.action = action;
    }

    /**
     * Counts the caller in; {@code session} (null: none known) is its client's.
     *
     * @return {@code [index, cycle, state]}: {@link #PASSED} for the last arrival, which ran the action
     * @throws BrokenBarrierException when the barrier is broken
     */
    synchronized List<Long> arrive(ServerSession session) throws BrokenBarrierException {
        if (broken) throw new BrokenBarrierException();
        int index = count++;
        long c = cycle;
        if (count < parties) {
            // a party whose client dies before the cycle ends breaks it, as a local barrier's dead party does
            if (session != null) session.onEnd(this, () -> partyGone(c));
            return List.of((long) index, c, (long) WAITING);
        }
        if (action != null) {
            try {
                action.run();
            } catch (RuntimeException | Error e) {
                breakCycle();
                throw e;
            } catch (Exception e) { // a checked one: the cause of the broken barrier
                breakCycle();
                throw (BrokenBarrierException) new BrokenBarrierException("the barrier's action failed: " + e).initCause(e);
            }
        }
        count = 0;
        cycle++;
        notifyAll();
        return List.of((long) index, c, (long) PASSED);
    }

    /** Waits at most {@code nanos} for cycle {@code c} to end: its state then. */
    synchronized int awaitCycle(long c, long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (cycle == c) {
            if (!Owner.waitUntil(this, deadline)) return WAITING;
        }
        return outcome(c);
    }

    /** A waiter of cycle {@code c} gives up: breaks the cycle if it is still on, else says how it ended. */
    synchronized int leave(long c) {
        if (cycle != c) return outcome(c);
        breakCycle();
        return BROKEN;
    }

    /** The end hook of a client with a party in cycle {@code c}: breaks it if it is still on (a later cycle's hook replaces this one). */
    private synchronized void partyGone(long c) {
        if (cycle == c && count > 0) breakCycle();
    }

    private int outcome(long c) { return c == lastBroken ? BROKEN : PASSED; }

    private void breakCycle() {
        broken = true;
        lastBroken = cycle;
        count = 0;
        cycle++;
        notifyAll();
    }

    /** Python's {@code reset()}: breaks a cycle in progress, then ends the broken state. */
    synchronized void reset() {
        if (count > 0) breakCycle();
        broken = false;
    }

    /** Python's {@code abort()}. */
    synchronized void abort() {
        if (!broken) breakCycle();
    }

    synchronized int waiting() { return count; }

    synchronized boolean isBroken() { return broken; }

    @Override
    public synchronized String toString() { return "Barrier(" + count + "/" + parties + (broken ? ", broken" : "") + ")"; }
}
