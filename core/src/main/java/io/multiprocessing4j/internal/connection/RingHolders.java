package io.multiprocessing4j.internal.connection;

import io.multiprocessing4j.internal.os.ProcessIdentity;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The holder slots of a {@link Ring}'s two ends (see its layout): which processes hold
 * each end, so that the other end can tell "nothing sent yet" from "nobody left to send".
 * A slot is a pid word and a start time; a start time of 0 marks a slot in transition,
 * which counts as alive. A slot that holds an end for copies of it sent to processes not
 * known yet has {@code PENDING} set in its pid word and the number of such copies above
 * the pid.
 */
final class RingHolders {
    private RingHolders() {}

    private static final long[] HOLDERS = {RingLayout.WRITING_HOLDERS, RingLayout.READING_HOLDERS};
    private static final int SLOTS = RingLayout.HOLDER_SLOTS;
    private static final long PENDING = 1L << 62, ONE_PENDING = 1L << 32, PID_MASK = ONE_PENDING - 1, COUNTED = PENDING - ONE_PENDING;
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final long MY_PID = ProcessIdentity.current().pid();
    private static final long MY_START = ProcessIdentity.current().startTime();

    /** Records this process as a holder of {@code end}; returns the slot to give back on close. */
    static int register(MemorySegment m, int end) throws IOException { return register(m, end, MY_PID, MY_START); }

    /** Records process {@code pid} (started at {@code start}) as a holder of {@code end}. */
    static int register(MemorySegment m, int end, long pid, long start) throws IOException {
        long base = HOLDERS[end];
        for (int i = 0; i < SLOTS; i++) {
            long slot = base + RingLayout.HOLDER_SLOTS_AT + RingLayout.HOLDER_SLOT_SIZE * i;
            if ((long) LONG.getVolatile(m, slot) == 0 && LONG.compareAndSet(m, slot, 0L, pid)) {
                LONG.setVolatile(m, slot + 8, start);
                int ignored = (int) INT.getAndAdd(m, base, 1);
                return i;
            }
        }
        throw new IOException("more than " + SLOTS + " open views of one pipe end");
    }

    /**
     * Holds {@code end} in this process's name for one more copy of it that was sent to a
     * process not known yet (see {@link #receivePending}): all such copies share one slot,
     * freed when the last is received or, if some never are, when this process is gone.
     */
    static int sendPending(MemorySegment m, int end) throws IOException {
        long base = HOLDERS[end];
        for (int i = 0; i < SLOTS; i++) {
            long slot = base + RingLayout.HOLDER_SLOTS_AT + RingLayout.HOLDER_SLOT_SIZE * i, w = (long) LONG.getVolatile(m, slot);
            // our own slot: receivers may take copies off it meanwhile, or take it over (start time 0)
            while ((w & ~COUNTED) == (PENDING | MY_PID) && (long) LONG.getVolatile(m, slot + 8) == MY_START) {
                if (LONG.compareAndSet(m, slot, w, w + ONE_PENDING)) return i;
                w = (long) LONG.getVolatile(m, slot);
            }
        }
        for (int i = 0; i < SLOTS; i++) {
            long slot = base + RingLayout.HOLDER_SLOTS_AT + RingLayout.HOLDER_SLOT_SIZE * i;
            if ((long) LONG.getVolatile(m, slot) == 0 && LONG.compareAndSet(m, slot, 0L, PENDING | ONE_PENDING | MY_PID)) {
                LONG.setVolatile(m, slot + 8, MY_START);
                int ignored = (int) INT.getAndAdd(m, base, 1);
                return i;
            }
        }
        throw new IOException("more than " + SLOTS + " open views of one pipe end");
    }

    /**
     * Called by the receiver of a copy that {@link #sendPending} counted in slot {@code i} for
     * process {@code pid} (started at {@code start}): registers this process and takes that
     * copy off the count, taking the slot over if it was the last. Returns this process's slot.
     */
    static int receivePending(MemorySegment m, int end, int i, long pid, long start) throws IOException {
        if (i < 0 || i >= SLOTS) return register(m, end);
        long base = HOLDERS[end], slot = base + RingLayout.HOLDER_SLOTS_AT + RingLayout.HOLDER_SLOT_SIZE * i, tag = PENDING | pid;
        int mine = -1;
        while (true) {
            long w = (long) LONG.getVolatile(m, slot);
            // the sender died and its slot was cleared (or is being taken over): nothing to give back
            if ((w & ~COUNTED) != tag || (long) LONG.getVolatile(m, slot + 8) != start) return mine >= 0 ? mine : register(m, end);
            if (w - ONE_PENDING != tag) { // other copies pending: leave the slot to them
                if (mine < 0) mine = register(m, end); // first, so that the end is never held by nobody
                if (LONG.compareAndSet(m, slot, w, w - ONE_PENDING)) return mine;
                continue;
            }
            // the last copy: the slot becomes ours, or is freed if we registered one already
            // (start time 0 meanwhile: a slot in transition counts as alive)
            if (LONG.compareAndSet(m, slot + 8, start, 0L)) {
                if (LONG.compareAndSet(m, slot, w, mine >= 0 ? 0L : MY_PID)) {
                    if (mine >= 0) {
                        int ignored = (int) INT.getAndAdd(m, base, -1);
                        return mine;
                    }
                    LONG.setVolatile(m, slot + 8, MY_START);
                    return i;
                }
                LONG.compareAndSet(m, slot + 8, 0L, start);
            }
        }
    }

    /**
     * Takes over slot {@code i}, registered for this process by a parent (or as a placeholder
     * by the sender of this end); registers afresh if the slot is no longer what it was.
     */
    static int adopt(MemorySegment m, int end, int i, long pid, long start) throws IOException {
        if (i < 0 || i >= SLOTS) return register(m, end);
        long slot = HOLDERS[end] + 8 + 16L * i;
        if (pid == MY_PID) return (long) LONG.getVolatile(m, slot) == MY_PID ? i : register(m, end);
        // start time to 0 first: a slot in transition counts as alive, so a liveness check
        // running meanwhile cannot take (sender's pid, our start) for a dead holder
        if (LONG.compareAndSet(m, slot + 8, start, 0L)) {
            if (LONG.compareAndSet(m, slot, pid, MY_PID)) {
                LONG.setVolatile(m, slot + 8, MY_START);
                return i;
            }
            LONG.compareAndSet(m, slot + 8, 0L, start);
        }
        return register(m, end);
    }

    /** Gives back a slot {@link #register} returned. */
    static void unregister(MemorySegment m, int end, int i) {
        long base = HOLDERS[end], slot = base + RingLayout.HOLDER_SLOTS_AT + RingLayout.HOLDER_SLOT_SIZE * i;
        // only our own registration: a slot freed by a dead-holder sweep may be someone else's now
        if (LONG.compareAndSet(m, slot + 8, MY_START, 0L)) {
            if (LONG.compareAndSet(m, slot, MY_PID, 0L)) {
                int ignored = (int) INT.getAndAdd(m, base, -1);
            } else {
                LONG.compareAndSet(m, slot + 8, 0L, MY_START);
            }
        }
    }

    /** Whether some process that still runs holds {@code end}; clears the slots of dead ones. */
    static boolean held(MemorySegment m, int end, boolean checkLiveness) {
        long base = HOLDERS[end];
        if ((int) INT.getVolatile(m, base) == 0) return false;
        if (!checkLiveness) return true;
        boolean any = false;
        for (int i = 0; i < SLOTS; i++) {
            long slot = base + RingLayout.HOLDER_SLOTS_AT + RingLayout.HOLDER_SLOT_SIZE * i;
            long word = (long) LONG.getVolatile(m, slot), pid = word & PID_MASK;
            if (word == 0) continue;
            long start = (long) LONG.getVolatile(m, slot + 8);
            if (pid == MY_PID || start == 0 || new ProcessIdentity(pid, start).isAlive()) {
                any = true;
            } else if (LONG.compareAndSet(m, slot, word, 0L)) {
                int ignored = (int) INT.getAndAdd(m, base, -1);
            }
        }
        return any;
    }
}
