package io.multiprocessing4j.sync;

import io.multiprocessing4j.internal.ProcessIdentity;
import io.multiprocessing4j.shm.Handle;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.multiprocessing4j.sync.Futex.INT;
import static io.multiprocessing4j.sync.Futex.LONG;

/**
 * The robust mutual-exclusion word under {@link Lock}, {@link RLock} and {@link Barrier}:
 * it records who holds it, so that a waiter can tell a dead holder from a slow one.
 * <pre>
 *  0        4        8                                   16       20                32
 *  +--------+--------+-----------------------------------+--------+- - - - - - - - -+
 *  | state  | waiters| holder                            | count  |     (unused)    |
 *  +--------+--------+-----------------------------------+--------+- - - - - - - - -+
 *  state   holder's pid, 0 when free (the futex word)
 *  holder  bits 63-24: the holder's Thread.threadId() (ids below 2^40)
 *          bits 23-1:  the low 23 bits of its process's start time (/proc/pid/stat field
 *                      22, clock ticks): a reused pid would have to start a multiple of
 *                      2^23 ticks (23 hours at 100 Hz) after the dead holder to fool it
 *          bit 0:      taken over from a dead holder, not yet released
 *  count   recursion depth (RLock; meaningful while held)
 * </pre>
 * The holder's pid goes in with the compare-and-set that takes the lock; the holder field
 * follows in the next instruction, and is cleared before the release. A holder killed
 * between the two is judged by its pid alone. One field, not three, keeps an acquire and a
 * release to a few shared-memory accesses each (see {@link #release}). Release is a plain
 * store of 0 where {@link AsymmetricFence} allows (waiters then fence before they sleep),
 * else a compare-and-set; either way the waiter count is read after it, and a waiter, if
 * any, is woken.
 *
 * <p>A waiter that has slept for {@link #LIVENESS_CHECK_NANOS} checks whether the holder's
 * process still runs; when it does not, the waiter takes the lock over with a
 * compare-and-set on the same pid, so exactly one waiter wins.
 */
final class Mutex {
    static final long SIZE = 32;
    static final long LIVENESS_CHECK_NANOS = 200_000_000L;
    private static final long STATE = 0, WAITERS = 4, HOLDER = 8, COUNT = 16;
    private static final long OWNER_DIED = 1, START_MASK = (1L << 23) - 1, THREAD_MASK = (1L << 40) - 1;

    // Made on the first owner death only: System.getLogger bootstraps java.util.logging, which
    // costs a fresh child JVM ~10 ms on its first lock operation otherwise.
    private static final class Log {
        static final System.Logger LOG = System.getLogger("io.multiprocessing4j.sync");
    }

    static final int MY_PID = (int) ProcessIdentity.current().pid();
    private static final long MY_START_BITS = (ProcessIdentity.current().startTime() & START_MASK) << 1;

    private final MemorySegment m;
    private final long base;
    private final Handle what;
    private final boolean counted;
    private final Spinner spinner = new Spinner(true);

    /**
     * The mutex at {@code base} in {@code m}; {@code what}, the object it belongs to, names it in
     * the owner-death warning (the text is built then: a string concatenation costs a cold JVM
     * an invokedynamic bootstrap).
     */
    Mutex(MemorySegment m, long base, Handle what) {
        this(m, base, what, true);
    }

    /**
     * As above; with {@code counted} false the recursion count is neither written nor cleared
     * (a {@link Lock}'s or a barrier's: nobody reads it), two fewer shared-memory writes per
     * acquire-release pair, which a child still interpreting its code pays dearly for.
     */
    Mutex(MemorySegment m, long base, Handle what, boolean counted) {
        this.m = m;
        this.base = base;
        this.what = what;
        this.counted = counted;
        boolean ignored = AsymmetricFence.lightRelease(); // registers now, not in the first release
    }

    /** One attempt, no waiting. */
    boolean tryAcquire() {
        if ((int) INT.getVolatile(m, base + STATE) != 0 || !INT.compareAndSet(m, base + STATE, 0, MY_PID)) return false;
        recordHolder(1);
        return true;
    }

    /**
     * Takes the lock, waiting at most {@code nanos} (negative: for ever, 0: not at all).
     *
     * @return false on timeout
     * @throws InterruptedException if interrupted while waiting (the lock is not taken)
     */
    boolean acquire(long nanos) throws InterruptedException {
        // First a plain compare-and-set: the common, free case costs one access, not two.
        if (INT.compareAndSet(m, base + STATE, 0, MY_PID)) {
            recordHolder(1);
            return true;
        }
        return nanos != 0 && acquireWaiting(nanos);
    }

    /** {@link #acquire}'s waiting, apart: the free case stays small enough to be inlined into a caller's loop. */
    private boolean acquireWaiting(long nanos) throws InterruptedException {
        long deadline = Futex.deadline(nanos);
        long start = System.nanoTime();
        if (spinner.spinUntil(this::tryAcquire, start)) return true;
        if (Thread.interrupted()) throw new InterruptedException();
        long lastCheck = start;
        for (int round = 0; ; round++) {
            int holder = (int) INT.getVolatile(m, base + STATE);
            if (holder == 0) {
                if (tryAcquire()) {
                    spinner.slept(start);
                    return true;
                }
                continue;
            }
            long left = Futex.remaining(deadline);
            if (left == 0) return false;
            long now = System.nanoTime();
            if (now - lastCheck >= LIVENESS_CHECK_NANOS) {
                lastCheck = now;
                if (takeOverIfDead(holder)) return true;
            }
            Futex.sleepFenced(m, base + STATE, base + WAITERS, holder, left, round);
        }
    }

    /** {@link #acquire} without a limit, ignoring interrupts; the interrupt status is kept. */
    void acquireUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                acquire(-1);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /**
     * Frees the lock, whoever holds it; false when it was not held. (Two threads releasing
     * one acquisition at once may both succeed, as with Python's lock.)
     */
    boolean release() {
        // The common case first, in few accesses: the JIT inlines a release into the caller's
        // loop only while its compiled code is small. The word the acquiring compare-and-set
        // wrote costs more to read back than the rest of the release; the holder field, a plain
        // store, is cheap, and when it names this thread the lock is held (a plain-store
        // release need not know by whom).
        if (AsymmetricFence.lightRelease() && (long) m.get(ValueLayout.JAVA_LONG, base + HOLDER) == holderOf(Thread.currentThread())) {
            releaseLight();
            return true;
        }
        int holder = (int) INT.getVolatile(m, base + STATE);
        if (holder == 0) return false;
        return releaseFrom(holder);
    }

    /** {@link #release} for the caller that holds the lock (it has just checked): no need to read the state first. */
    void releaseHeld() {
        releaseFrom(MY_PID);
    }

    private boolean releaseFrom(int holder) {
        if (AsymmetricFence.lightRelease()) {
            releaseLight();
            return true;
        }
        clearHolder();
        if (!INT.compareAndSet(m, base + STATE, holder, 0)) return false;
        wakeASleeper();
        return true;
    }

    private void releaseLight() {
        clearHolder();
        INT.setRelease(m, base + STATE, 0);
        wakeASleeper();
    }

    private void wakeASleeper() {
        if ((int) INT.getVolatile(m, base + WAITERS) != 0) Futex.wake(m, base + STATE, base + WAITERS, 1);
    }

    boolean isLocked() { return (int) INT.getVolatile(m, base + STATE) != 0; }

    boolean heldByCurrentThread() {
        return (int) INT.getVolatile(m, base + STATE) == MY_PID
                && (long) LONG.getVolatile(m, base + HOLDER) >>> 24 == (Thread.currentThread().threadId() & THREAD_MASK);
    }

    int holderPid() { return (int) INT.getVolatile(m, base + STATE); }

    /** The recursion depth; meaningful to the holder only (a release leaves it as it was). */
    int count() { return (int) INT.getAcquire(m, base + COUNT); }

    void setCount(int count) {
        if (counted) INT.setRelease(m, base + COUNT, count);
    }

    boolean ownerDied() { return isLocked() && ((long) LONG.getVolatile(m, base + HOLDER) & OWNER_DIED) != 0; }

    // The holder field needs no fence of its own: the compare-and-set that takes the lock and
    // the release store that frees it order it, and readers in other processes re-check the
    // state word.
    private void recordHolder(int count) {
        m.set(ValueLayout.JAVA_LONG, base + HOLDER, holderOf(Thread.currentThread()));
        if (counted) m.set(ValueLayout.JAVA_INT, base + COUNT, count);
    }

    // The count is left as it is: the next holder sets its own, and nobody reads it unheld.
    private void clearHolder() {
        m.set(ValueLayout.JAVA_LONG, base + HOLDER, 0L);
    }

    private static long holderOf(Thread t) { return t.threadId() << 24 | MY_START_BITS; }

    private boolean takeOverIfDead(int holder) {
        if (holder == MY_PID) return false;
        long recorded = (long) LONG.getVolatile(m, base + HOLDER);
        if ((int) INT.getVolatile(m, base + STATE) != holder) return false;
        ProcessIdentity now = ProcessIdentity.of(holder); // whichever process has that pid now
        boolean same = recorded == 0 || ((now.startTime() & START_MASK) << 1) == (recorded & (START_MASK << 1));
        if ((now.isAlive() && same) || !INT.compareAndSet(m, base + STATE, holder, MY_PID)) return false;
        recordHolder(1);
        LONG.setVolatile(m, base + HOLDER, holderOf(Thread.currentThread()) | OWNER_DIED);
        Log.LOG.log(System.Logger.Level.WARNING, "{0}: its holder, process {1}, died holding it; thread \"{2}\" of process {3} took it over",
                what.kind() + " " + what.token(), Integer.toString(holder), Thread.currentThread().getName(), Integer.toString(MY_PID));
        return true;
    }
}
