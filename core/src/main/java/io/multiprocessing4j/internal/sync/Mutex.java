package io.multiprocessing4j.internal.sync;

import io.multiprocessing4j.internal.os.Timeouts;
import io.multiprocessing4j.internal.os.ProcessIdentity;
import io.multiprocessing4j.shm.Handle;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.multiprocessing4j.internal.sync.Futex.INT;
import static io.multiprocessing4j.internal.sync.Futex.LONG;

/**
 * The robust mutual-exclusion word under {@link ShmLock}, {@link ShmRLock} and {@link ShmBarrier}:
 * it records who holds it, so that a waiter can tell a dead holder from a slow one.
 * <pre>
 *  0        4        8                                   16       20       24                32
 *  +--------+--------+-----------------------------------+--------+--------+-----------------+
 *  | state  | waiters| holder                            | count  | biased | bias            |
 *  +--------+--------+-----------------------------------+--------+--------+-----------------+
 *  state   holder's pid, 0 when free (the futex word)
 *  holder  bits 63-24: the holder's Thread.threadId() (ids below 2^40)
 *          bits 23-1:  the low 23 bits of its process's start time (/proc/pid/stat field
 *                      22, clock ticks): a reused pid would have to start a multiple of
 *                      2^23 ticks (23 hours at 100 Hz) after the dead holder to fool it
 *          bit 0:      taken over from a dead holder, not yet released
 *  count   recursion depth (ShmRLock; meaningful while held); for a biased ShmLock, the bias
 *          owner's start-time bits (bits 23-1, bit 0 set once written)
 *  biased  1 while the bias owner holds the lock (a ShmLock's futex word while biased)
 *  bias    a ShmLock's bias: 0 none yet; pid << 32 | thread id: the one thread that takes
 *          the lock without an atomic instruction; the same with bit 63 set: being
 *          revoked; -1: revoked, the state word rules
 * </pre>
 * The holder's pid goes in with the compare-and-set that takes the lock; the holder field
 * follows in the next instruction, and is cleared before the release. A holder killed
 * between the two is judged by its pid alone. One field, not three, keeps an acquire and a
 * release to a few shared-memory accesses each (see {@link #release}). Release is a plain
 * store of 0 where {@link AsymmetricFence} allows (waiters then fence before they sleep),
 * else a compare-and-set; either way the waiter count is read after it, and a waiter, if
 * any, is woken.
 *
 * <p>A waiter that has slept for {@link FutexWait#LIVENESS_CHECK_NANOS} checks whether the
 * holder's process still runs; when it does not, the waiter takes the lock over with a
 * compare-and-set on the same pid, so exactly one waiter wins.
 *
 * <h2>Bias (ShmLock only)</h2>
 * An uncontended compare-and-set is most of an acquire-release pair. So the first thread to
 * take a {@link ShmLock} in a process registered for {@link AsymmetricFence} becomes its bias
 * owner: it acquires by storing 1 into {@code biased} and reading {@code bias} back, and
 * releases by storing 0 -- no atomic instruction. Any other thread, of any process, that
 * wants the lock revokes the bias first, once in the lock's life: it marks {@code bias}
 * revoked, makes every registered thread fence ({@code membarrier}), and waits until
 * {@code biased} is 0. After the fence the owner either saw the mark (and backs out of an
 * acquisition it had started) or its 1 is visible, so the revoker waits for its release;
 * from then on everyone, the owner too, uses the state word. A bias owner killed while
 * holding is found and taken over as any holder is. A release by another thread (allowed for
 * a ShmLock) clears {@code biased} with a compare-and-set; one that comes while nobody holds
 * the lock, during a revocation, may clear the 1 of an acquisition the owner is backing
 * out of, and succeed where it should fail (as two releases of one acquisition may). A
 * process that cannot register, and a thread whose id needs more than 32 bits, takes no
 * bias; the first such acquirer marks the lock unbiased.
 */
final class Mutex {
    // the layout drawn above
    private static final long STATE = 0, WAITERS = STATE + 4, HOLDER = WAITERS + 4, COUNT = HOLDER + 8,
            BIASED = COUNT + 4, BIAS = BIASED + 4;
    static final long SIZE = BIAS + 8;
    private static final long OWNER_DIED = 1, START_MASK = (1L << 23) - 1, THREAD_MASK = (1L << 40) - 1;
    private static final long NO_BIAS = 0, UNBIASED = -1, REVOKED_BIT = Long.MIN_VALUE;
    private static final boolean TSO = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64", "x86" -> true;
        default -> false;
    };

    /** Who a mutex belongs to, which decides what it keeps. */
    enum Kind {
        /** Counts recursion. */
        RLOCK,
        /** May be biased; no count. */
        LOCK,
        /** Neither. */
        PLAIN
    }

    // Made on the first owner death only: System.getLogger bootstraps java.util.logging, which
    // would slow a fresh child JVM's first lock operation otherwise.
    private static final class Log {
        static final System.Logger LOG = System.getLogger("io.multiprocessing4j.sync");
    }

    static final int MY_PID = (int) ProcessIdentity.current().pid();
    private static final long MY_START_BITS = (ProcessIdentity.current().startTime() & START_MASK) << 1;

    private final MemorySegment m;
    private final Handle what;
    private final boolean counted, biasable;
    // The state word, until this thread takes the lock, or takes it over from a dead holder.
    private final FutexWait<RuntimeException> free;
    private FutexWait<RuntimeException> biasReleased; // made by the first revocation that waits
    // The bias owner, once it has used the bias through this object, and its bias word: lets it
    // skip reading the bias word before each acquisition. Only that thread sets them (no other
    // thread's word can be in the bias), so another thread never sees itself here.
    private Thread biasOwner;
    private long biasWord;

    /**
     * The mutex at {@code base} in {@code m}; {@code what}, the object it belongs to, names it in
     * the owner-death warning (the text is built then: a string concatenation costs a cold JVM
     * an invokedynamic bootstrap). Unless {@code kind} is {@link Kind#RLOCK} the recursion count
     * is neither written nor cleared (nobody reads it): two fewer shared-memory writes per
     * acquire-release pair, which a child still interpreting its code pays dearly for.
     */
    Mutex(MemorySegment m, long base, Handle what, Kind kind) {
        this.m = m.asSlice(base, SIZE); // constant offsets: fewer instructions on each access
        this.what = what;
        this.counted = kind == Kind.RLOCK;
        this.biasable = kind == Kind.LOCK;
        this.free = new FutexWait<>(FutexWord.fenced(this.m, STATE, WAITERS), new FutexWait.Test<>() {
            @Override
            public boolean ready(long arg) { return tryAcquire(); }

            @Override
            public boolean checkPeers(long arg, int holder, boolean livenessDue) {
                return livenessDue && holder != 0 && takeOverIfDead(holder);
            }
        }, new Spinner(true));
        boolean ignored = AsymmetricFence.lightRelease(); // registers now, not in the first release
    }

    /** One attempt, no waiting. */
    boolean tryAcquire() {
        if ((int) INT.getVolatile(m, STATE) != 0 || !INT.compareAndSet(m, STATE, 0, MY_PID)) return false;
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
        if (biasable) {
            if (biasOwner == Thread.currentThread() && biasedFree() && takeBiased()) return true;
            if ((long) LONG.get(m, BIAS) != UNBIASED) return acquireBiased(nanos);
        }
        // First a plain compare-and-set: the common, free case costs one access, not two.
        if (INT.compareAndSet(m, STATE, 0, MY_PID)) {
            recordHolder(1);
            return true;
        }
        return nanos != 0 && free.await(0, nanos);
    }

    /** This thread's bias word; a thread whose id needs more than 32 bits gets one no bias word holds. */
    private static long token() {
        long tid = Thread.currentThread().threadId();
        return tid >>> 32 == 0 ? (long) MY_PID << 32 | tid : REVOKED_BIT;
    }

    // Whether the bias owner may try (it does not hold the lock already). Where the hardware
    // does not keep loads in order, an acquiring read, lest the owner read data older than a
    // release by another thread that cleared the word; on x86 a plain read (an acquiring one
    // costs the compiled loop a nanosecond).
    private boolean biasedFree() {
        return (TSO ? (int) INT.get(m, BIASED) : (int) INT.getAcquire(m, BIASED)) == 0;
    }

    // The bias owner's acquisition: its store, then the read that checks that nobody revoked the
    // bias meanwhile (a revoker's fence orders the two for it: see the class comment).
    private boolean takeBiased() {
        INT.setOpaque(m, BIASED, 1);
        if ((long) LONG.getVolatile(m, BIAS) == biasWord) return true;
        biasOwner = null; // for good: a revoked bias does not come back
        // Back out; a revoker may have seen the 1 and gone to sleep on it.
        if (INT.compareAndSet(m, BIASED, 1, 0)) wakeBiasWaiters();
        return false;
    }

    /**
     * {@link #acquire} while the lock has a bias, or may take one: takes the bias if nobody has
     * it, revokes another thread's, and waits while the bias owner holds the lock.
     */
    private boolean acquireBiased(long nanos) throws InterruptedException {
        long deadline = Timeouts.deadline(nanos);
        boolean fenced = false;
        while (true) {
            long b = (long) LONG.getVolatile(m, BIAS), me = token();
            if (b == UNBIASED) return acquire(Timeouts.remaining(deadline));
            if (b == NO_BIAS) {
                // Only a process that receives the revokers' fence may take a bias.
                boolean take = me != REVOKED_BIT && AsymmetricFence.lightRelease();
                if (LONG.compareAndSet(m, BIAS, NO_BIAS, take ? me : UNBIASED) && take) {
                    INT.setRelease(m, COUNT, (int) (MY_START_BITS | 1));
                }
                continue;
            }
            if (b == me) {
                biasWord = me;
                biasOwner = Thread.currentThread();
                if ((int) INT.getVolatile(m, BIASED) == 0) {
                    if (takeBiased()) return true;
                    continue;
                }
                // This thread holds it: a ShmLock waits for itself, or for another thread's release.
            } else if (b > 0) {
                LONG.compareAndSet(m, BIAS, b, b | REVOKED_BIT);
                continue;
            } else {
                // Being revoked. After this fence the owner's 1, if it stored one, is visible.
                if (!fenced) {
                    fenced = true;
                    if (!AsymmetricFence.heavy()) Thread.sleep(AsymmetricFence.UNFENCED_SLEEP_NANOS / 1_000_000);
                }
                if ((int) INT.getVolatile(m, BIASED) == 0) {
                    LONG.compareAndSet(m, BIAS, b, UNBIASED);
                    continue;
                }
            }
            if (!biasReleased().await(b, Timeouts.remaining(deadline))) return false;
            // the wait also ends when a liveness check finds the bias owner dead
            if (b < 0 && (int) INT.getVolatile(m, BIASED) != 0 && takeOverFromDeadBias(b)) return true;
        }
    }

    /** The wait for the bias owner's release, with {@code arg} the bias word; it ends early once the owner of a revoked bias is dead. */
    private FutexWait<RuntimeException> biasReleased() {
        FutexWait<RuntimeException> w = biasReleased;
        if (w == null) {
            biasReleased = w = new FutexWait<>(FutexWord.fenced(m, BIASED, WAITERS), new FutexWait.Test<>() {
                @Override
                public boolean ready(long b) { return (int) INT.getVolatile(m, BIASED) == 0; }

                @Override
                public boolean checkPeers(long b, int seen, boolean livenessDue) {
                    return livenessDue && b < 0 && !biasOwnerRuns(b);
                }
            });
        }
        return w;
    }

    /** {@link #acquire} without a limit, ignoring interrupts; the interrupt status is kept. */
    void acquireUninterruptibly() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    acquire(-1);
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /**
     * Frees the lock, whoever holds it; false when it was not held. (Two threads releasing
     * one acquisition at once may both succeed, as with Python's lock.)
     */
    boolean release() {
        if (biasable) {
            // The bias owner's own release, a plain store; only it stores the 1 it reads here.
            if (biasOwner == Thread.currentThread() && (int) INT.get(m, BIASED) != 0) {
                INT.setRelease(m, BIASED, 0);
                wakeBiasWaiters();
                return true;
            }
            long b = (long) LONG.get(m, BIAS);
            if (b != UNBIASED && b != NO_BIAS) {
                // Biased, or being revoked: whoever holds the lock holds it through the bias.
                if (!INT.compareAndSet(m, BIASED, 1, 0)) return false;
                wakeBiasWaiters();
                return true;
            }
        }
        // The common case first, in few accesses: the JIT inlines a release into the caller's
        // loop only while its compiled code is small. The word the acquiring compare-and-set
        // wrote costs more to read back than the rest of the release; the holder field, a plain
        // store, is cheap, and when it names this thread the lock is held (a plain-store
        // release need not know by whom).
        if (AsymmetricFence.lightRelease() && (long) m.get(ValueLayout.JAVA_LONG, HOLDER) == holderOf(Thread.currentThread())) {
            releaseLight();
            return true;
        }
        int holder = (int) INT.getVolatile(m, STATE);
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
        if (!INT.compareAndSet(m, STATE, holder, 0)) return false;
        wakeASleeper();
        return true;
    }

    private void releaseLight() {
        clearHolder();
        INT.setRelease(m, STATE, 0);
        wakeASleeper();
    }

    private void wakeASleeper() {
        if ((int) INT.getVolatile(m, WAITERS) != 0) Futex.wake(m, STATE, WAITERS, 1);
    }

    // Every one: revokers waiting for the owner's release, and the owner waiting for itself.
    private void wakeBiasWaiters() {
        if ((int) INT.getVolatile(m, WAITERS) != 0) Futex.wake(m, BIASED, WAITERS, Integer.MAX_VALUE);
    }

    boolean isLocked() { return holderPid() != 0; }

    boolean heldByCurrentThread() {
        if (biasHolder() == token()) return true;
        return (int) INT.getVolatile(m, STATE) == MY_PID
                && (long) LONG.getVolatile(m, HOLDER) >>> 24 == (Thread.currentThread().threadId() & THREAD_MASK);
    }

    int holderPid() {
        int state = (int) INT.getVolatile(m, STATE);
        return state != 0 ? state : (int) (biasHolder() >>> 32);
    }

    /** The bias owner's token while it holds the lock through the bias (revoked or not), else 0. */
    private long biasHolder() {
        if (!biasable) return 0;
        long b = (long) LONG.getVolatile(m, BIAS);
        if (b == NO_BIAS || b == UNBIASED || (int) INT.getVolatile(m, BIASED) == 0) return 0;
        return b & ~REVOKED_BIT;
    }

    /** The recursion depth; meaningful to the holder only (a release leaves it as it was). */
    int count() { return (int) INT.getAcquire(m, COUNT); }

    void setCount(int count) {
        if (counted) INT.setRelease(m, COUNT, count);
    }

    boolean ownerDied() { return isLocked() && ((long) LONG.getVolatile(m, HOLDER) & OWNER_DIED) != 0; }

    // The holder field needs no fence of its own: the compare-and-set that takes the lock and
    // the release store that frees it order it, and readers in other processes re-check the
    // state word.
    private void recordHolder(int count) {
        m.set(ValueLayout.JAVA_LONG, HOLDER, holderOf(Thread.currentThread()));
        if (counted) m.set(ValueLayout.JAVA_INT, COUNT, count);
    }

    // The count is left as it is: the next holder sets its own, and nobody reads it unheld.
    private void clearHolder() {
        m.set(ValueLayout.JAVA_LONG, HOLDER, 0L);
    }

    private static long holderOf(Thread t) { return t.threadId() << 24 | MY_START_BITS; }

    private boolean takeOverIfDead(int holder) {
        if (holder == MY_PID) return false;
        long recorded = (long) LONG.getVolatile(m, HOLDER);
        if ((int) INT.getVolatile(m, STATE) != holder) return false;
        if (runs(holder, recorded) || !INT.compareAndSet(m, STATE, holder, MY_PID)) return false;
        markTakenOver(holder);
        return true;
    }

    /**
     * Takes the lock over at once if its holder's process is gone, without the wait a waiter
     * makes before it checks; false, changing nothing, when it is free or its holder runs.
     */
    boolean takeOverIfHolderDied() {
        int holder = (int) INT.getVolatile(m, STATE);
        if (holder != 0) return takeOverIfDead(holder);
        if (!biasable) return false;
        long b = (long) LONG.getVolatile(m, BIAS);
        if (b == NO_BIAS || b == UNBIASED || (int) INT.getVolatile(m, BIASED) == 0) return false;
        // a live owner's bias is left alone: only a dead one's is revoked, to take its lock over
        int owner = (int) ((b & ~REVOKED_BIT) >>> 32);
        if (owner == MY_PID || runs(owner, (int) INT.getVolatile(m, COUNT) & ~1L)) return false;
        if (b > 0 && !LONG.compareAndSet(m, BIAS, b, b | REVOKED_BIT)) return false;
        return takeOverFromDeadBias(b | REVOKED_BIT);
    }

    /**
     * The bias owner of {@code b}, a revoked bias, holds the lock: if its process is gone, takes
     * the lock over through the state word, which nobody else uses before the bias ends.
     */
    private boolean takeOverFromDeadBias(long b) {
        int holder = (int) ((b & ~REVOKED_BIT) >>> 32);
        if (biasOwnerRuns(b)) return false;
        if ((int) INT.getVolatile(m, BIASED) == 0 || !INT.compareAndSet(m, STATE, 0, MY_PID)) return false;
        markTakenOver(holder);
        LONG.setVolatile(m, BIAS, UNBIASED);
        INT.setRelease(m, BIASED, 0);
        wakeBiasWaiters();
        return true;
    }

    /** Whether the owner of bias {@code b} is this process, or one that runs. */
    private boolean biasOwnerRuns(long b) {
        int owner = (int) ((b & ~REVOKED_BIT) >>> 32);
        return owner == MY_PID || runs(owner, (int) INT.getVolatile(m, COUNT) & ~1L);
    }

    /** Whether process {@code pid} runs and, when {@code startBits} (holder-field form) are known, started then. */
    private static boolean runs(int pid, long startBits) {
        ProcessIdentity now = ProcessIdentity.of(pid); // whichever process has that pid now
        long bits = startBits & (START_MASK << 1);
        return now.isAlive() && (bits == 0 || ((now.startTime() & START_MASK) << 1) == bits);
    }

    private void markTakenOver(int deadPid) {
        recordHolder(1);
        LONG.setVolatile(m, HOLDER, holderOf(Thread.currentThread()) | OWNER_DIED);
        Log.LOG.log(System.Logger.Level.WARNING, "{0}: its holder, process {1}, died holding it; thread \"{2}\" of process {3} took it over",
                what.kind() + " " + what.token(), Integer.toString(deadPid), Thread.currentThread().getName(), Integer.toString(MY_PID));
    }
}
