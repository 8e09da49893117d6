package io.multiprocessing4j.internal.sync;

import io.multiprocessing4j.internal.os.Native;
import io.multiprocessing4j.shm.ClosedObjectException;
import io.multiprocessing4j.internal.shm.Heap;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Sleeping on a 32-bit word in shared memory until another process changes it, and waking
 * the sleepers: the system calls under {@link FutexWait}, the waiting engine, which is where
 * every wait of the library loops.
 *
 * <p>Every waitable word has a companion waiter count. A waiter increments the count,
 * re-reads the word and only then sleeps; a waker writes the word and only then reads the
 * count, and makes the wake-up system call only when it is non-zero. Both sides use
 * volatile (sequentially consistent) accesses, so either the waker sees the waiter or the
 * waiter sees the new value: no wake-up is lost, and an uncontended release costs no
 * system call. (A {@link Mutex} may release with a plain store instead; its waiters then
 * provide the fence: {@link AsymmetricFence}.) A waiter process that dies while counted
 * leaves the count too high; that costs later releases a needless system call, never a
 * lost wake-up.
 *
 * <p>A <em>bell</em> is a word that wakers only ever add one to (a count of messages or
 * items published), calling {@link #wakeBell} after every change. Its sleepers also
 * record, in a second companion word, the newest bell value anyone slept on
 * ({@link #sleepOnBell}), and a waker that moved the bell from {@code b} wakes only if
 * someone slept on {@code b}. Sleepers on older values were woken by the waker that moved
 * the bell past them. So the count of sleepers, which a woken sleeper lowers only once it
 * runs again (tens to hundreds of microseconds later on a busy machine), does not make
 * every message published in the meantime pay for a wake-up system call of its own:
 * measured, a pipe's writer made 20,000 of them for 20,000 messages while its reader
 * slept 32 times.
 *
 * <p>How a thread sleeps:
 * <ul>
 *   <li>platform threads on Linux: {@code FUTEX_WAIT} in its process-shared form, with the
 *       kernel's timeout, cut into slices of at most {@link #SLICE_NANOS} because a thread in
 *       a native call cannot see {@link Thread#interrupt()}; interrupts are noticed at the
 *       next slice boundary;</li>
 *   <li>virtual threads, and every thread where the futex call is missing or turned off
 *       with {@code -Dmp4j.futex=false}: parking with exponential back-off from a
 *       microsecond to a millisecond, so that a carrier thread is never pinned in a native
 *       call and interrupts are seen at once.</li>
 * </ul>
 * The two kinds of sleeper mix freely on one word: a parked thread polls, a futex sleeper
 * is woken (by any waker where the call exists, {@code -Dmp4j.futex=false} or not: it turns
 * off sleeping in the call, not waking the processes that do).
 */
public final class Futex {
    /** The longest native sleep, after which a waiter re-checks interrupts, deadlines and owner liveness. */
    public static final long SLICE_NANOS = 50_000_000L;
    /**
     * How long a waiter re-checks its condition, spinning, before it sleeps: long enough to
     * cover a round trip to a peer that is itself spinning, so that ping-pong between two
     * processes never pays for a wake-up; zero on one CPU, where spinning only delays the peer.
     * It also covers a peer that works up to a hundred microseconds or so between hand-overs
     * (copying a large array each way): on a busy or virtual machine a sleeper wakes tens of
     * microseconds after its wake-up call, and the call itself costs the waker about as much,
     * so such a wait costs less spun than slept. Set with {@code -Dmp4j.spinNanos}.
     */
    public static final long SPIN_NANOS = Runtime.getRuntime().availableProcessors() > 1
            ? Long.getLong("mp4j.spinNanos", 200_000L) : 0L;

    private static final long MIN_PARK_NANOS = 1_000L;
    private static final long MAX_PARK_NANOS = 1_000_000L;
    private static final boolean ENABLED = !"false".equals(System.getProperty("mp4j.futex"));

    // Whether the futex call is there links it (a downcall handle, slow to make in a fresh JVM), so it
    // is asked on the first sleep or the first wake that has a sleeper to wake, not at class
    // initialization: a child whose locks are never contended never pays for it.
    private static final class Sys {
        /** Whether the call is there: wake-ups use it even where sleeping in it is turned off. */
        static final boolean LINKED = Native.hasFutex();
        static final boolean NATIVE = ENABLED && LINKED;
    }

    static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private Futex() {}

    /** True when this JVM sleeps in the futex system call (platform threads only). */
    public static boolean isNative() { return Sys.NATIVE; }

    /**
     * Sleeps while the word at {@code word} holds {@code expected}, for at most
     * {@code nanos} and at most one slice, registered in the waiter count at
     * {@code waiters}. Returns early when woken, when the word differs, or spuriously:
     * callers re-check their condition in a loop.
     *
     * @param round how many times the caller has slept for this wait (drives back-off)
     * @throws InterruptedException if the thread is interrupted before or while sleeping;
     *         the interrupt status is cleared
     * @throws ClosedObjectException if {@code m}'s memory is closed before, while or right
     *         after it sleeps (a sleeper sees it within one slice)
     */
    public static void sleep(MemorySegment m, long word, long waiters, int expected, long nanos, int round)
            throws InterruptedException {
        sleep(m, word, waiters, -1, expected, nanos, round, false);
    }

    /**
     * {@link #sleep} on a bell, recording {@code expected} at {@code sleptOn} (an int that
     * only sleepers write, zero at first, as the bell) so that {@link #wakeBell} can tell
     * whether anyone sleeps on the value it moved the bell from.
     */
    public static void sleepOnBell(MemorySegment m, long bell, long waiters, long sleptOn, int expected, long nanos,
                                   int round) throws InterruptedException {
        sleep(m, bell, waiters, sleptOn, expected, nanos, round, false);
    }

    // Fenced and bell sleeps that lasted their whole slice although the word had changed. With
    // one sleeper on a lock's word (the tests of AsymmetricFence) each is a wake-up that never
    // came; with several, a release wakes only one of them, and the others may count here. A
    // bell wakes all its sleepers: each count is a wake-up that never came, or one that came
    // after the slice ended (a JVM's first wake-up links the native call: tens of milliseconds).
    private static final LongAdder MISSED = new LongAdder();

    public static long missedWakeups() { return MISSED.sum(); }

    /**
     * {@link #sleep} on a word that wakers may set with a plain store, not an atomic
     * instruction: see {@link AsymmetricFence}.
     */
    static void sleepFenced(MemorySegment m, long word, long waiters, int expected, long nanos, int round)
            throws InterruptedException {
        sleep(m, word, waiters, -1, expected, nanos, round, true);
    }

    /** {@link #sleep}, {@link #sleepOnBell} or {@link #sleepFenced}, as {@code w} is bound. */
    static void sleep(FutexWord w, int expected, long nanos, int round) throws InterruptedException {
        sleep(w.memory(), w.word(), w.waiters(), w.sleptOn(), expected, nanos, round, w.fenced());
    }

    private static void sleep(MemorySegment m, long word, long waiters, long sleptOn, int expected, long nanos,
                              int round, boolean fenced) throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        if (nanos <= 0) return;
        try {
            sleepCounted(m, word, waiters, sleptOn, expected, nanos, round, fenced);
        } catch (IllegalStateException e) {
            // the memory was closed before, during or right after the sleep
            throw ClosedObjectException.of(m, e);
        }
        if (Thread.interrupted()) throw new InterruptedException();
    }

    private static void sleepCounted(MemorySegment m, long word, long waiters, long sleptOn, int expected, long nanos,
                                     int round, boolean fenced) {
        int ignored = (int) INT.getAndAdd(m, waiters, 1);
        try {
            if (sleptOn >= 0) raise(m, sleptOn, expected);
            boolean futex = Sys.NATIVE && !Thread.currentThread().isVirtual();
            // Parking re-checks within a millisecond anyway; only a futex sleep needs the waker's fence.
            boolean unfenced = fenced && futex && !AsymmetricFence.heavy();
            if (unfenced) nanos = Math.min(nanos, AsymmetricFence.UNFENCED_SLEEP_NANOS);
            if ((int) INT.getVolatile(m, word) != expected) return;
            if (futex) {
                // A raw address: the sleep must not keep the memory from being closed. Closed and
                // unmapped meanwhile, the call fails (EFAULT) or sleeps out its slice, and the
                // count's decrement below, refused by the closed memory, reports it.
                long slice = Math.min(nanos, SLICE_NANOS);
                int r = Native.futexWait(m.address() + word, expected, slice);
                boolean watched = fenced && !unfenced || sleptOn >= 0;
                if (watched && r == Native.ETIMEDOUT && (int) INT.getVolatile(m, word) != expected) MISSED.increment();
                // short sleeps (a lock's unfenced ones) look now and then, not after each
                if (r == Native.ETIMEDOUT && (slice == SLICE_NANOS || round % 32 == 31)) checkNotClosedElsewhere(m);
            } else {
                long park = MIN_PARK_NANOS << Math.min(round, 10);
                LockSupport.parkNanos(Math.min(nanos, Math.min(park, MAX_PARK_NANOS)));
                if (round % 64 == 63) checkNotClosedElsewhere(m);
            }
        } finally {
            ignored = (int) INT.getAndAdd(m, waiters, -1);
        }
    }

    /**
     * A sleep that lasted its slice checks whether the memory's heap was closed by another
     * process (the close cannot wake sleepers it does not know of); the closing process's
     * own sleepers find their memory unmapped instead.
     */
    private static void checkNotClosedElsewhere(MemorySegment m) {
        if (Heap.isClosed(m)) throw new ClosedObjectException("shared object is closed (its context closed in the process that made it)");
    }

    /**
     * Makes {@code sleptOn} at least {@code value}, comparing as the bell does, modulo 2^32.
     * A value that looks newer but is 2^31 or more behind (nobody slept for that many rings)
     * is left, and then also looks at least as new as {@code value} to {@link #wakeBell}: a
     * needless wake-up at worst, never a lost one.
     */
    private static void raise(MemorySegment m, long sleptOn, int value) {
        int cur;
        do {
            cur = (int) INT.getVolatile(m, sleptOn);
        } while (cur - value < 0 && !INT.compareAndSet(m, sleptOn, cur, value));
    }

    /**
     * Wakes every sleeper on the bell at {@code bell} if anyone sleeps on {@code rung}, the
     * value this caller moved it from. Call it after the bell's change, which must be a
     * volatile write or an atomic update (the fence before the sleepers' words are read).
     */
    public static void wakeBell(MemorySegment m, long bell, long waiters, long sleptOn, int rung) {
        if ((int) INT.getVolatile(m, waiters) > 0 && (int) INT.getVolatile(m, sleptOn) - rung >= 0 && Sys.LINKED) {
            Native.futexWake(m.address() + bell, Integer.MAX_VALUE);
        }
    }

    /**
     * Wakes up to {@code count} sleepers on {@code word} if the waiter count says anyone
     * sleeps. Call it after the volatile write that sleepers wait for.
     */
    public static void wake(MemorySegment m, long word, long waiters, int count) {
        // Sys.LINKED, not NATIVE: a sleeper in another process may sleep in the futex call even
        // where this JVM parks (-Dmp4j.futex=false), and only FUTEX_WAKE reaches it before its slice ends.
        if ((int) INT.getVolatile(m, waiters) > 0 && Sys.LINKED) {
            Native.futexWake(m.address() + word, count);
        }
    }
}
