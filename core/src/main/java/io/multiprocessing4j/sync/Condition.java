package io.multiprocessing4j.sync;

import io.multiprocessing4j.shm.Handle;
import io.multiprocessing4j.shm.Heap;
import io.multiprocessing4j.shm.Shared;

import java.io.Serial;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

import static io.multiprocessing4j.sync.Futex.INT;
import static io.multiprocessing4j.sync.Futex.LONG;

/**
 * Python's {@code multiprocessing.Condition}, also a
 * {@link java.util.concurrent.locks.Condition}: threads of any process wait on it, holding
 * its lock, until another signals. The lock is a {@link Lock} or an {@link RLock} (the
 * default); a wait releases it completely and takes it back, at the same depth, before
 * returning. Python's {@code wait}, {@code notify} and {@code notify_all} are spelled
 * {@link #await()}, {@link #signal(int)} and {@link #signalAll()}, since
 * {@code java.lang.Object} owns the other names.
 *
 * <p><b>Who is woken:</b> as in Python, {@code signal(n)} wakes up to {@code n} of the
 * threads that are waiting when it is called (which ones is unspecified); a thread that
 * starts waiting afterwards, the signaller included, cannot take their place. A waiter
 * wakes only when signalled, or when its timeout elapses or it is interrupted.
 * <pre>
 *  0                                        8        12       16       20       24
 *  +--------------------------------------+--------+--------+--------+--------+--------+
 *  | waiting:22 | signalled:21 | older:21 | bell   |sleepers| epoch  | gate   | gated  |
 *  +--------------------------------------+--------+--------+--------+--------+--------+
 *  STATE      one long, changed by compare-and-set: a waiter that gives up leaves in one step
 *    waiting    threads inside await that no signal has picked yet
 *    signalled  signals given and not yet taken, for any thread waiting now
 *    older      signals given and not yet taken, for threads that began waiting before epoch
 *  bell       +1 on every signal: the futex word of waiters; sleepers: their count
 *  epoch      +1 whenever signalled becomes older (changed under the lock)
 *  gate       +1 whenever signalled or older drops to zero: the futex word of the entry
 *             gate; gated: its sleepers
 * </pre>
 * A thread starting to wait (holding the lock) notes the epoch and adds one to
 * {@code waiting}; {@code signal(n)} moves up to {@code n} from {@code waiting} to
 * {@code signalled}; a waiter wakes by taking one from {@code signalled}, or from
 * {@code older} if its epoch is past, without the lock. The counts name nobody, so
 * signals still pending when a thread starts waiting must be kept from it: it moves them
 * to {@code older} and begins a new epoch. If {@code older} is still in use then, it waits
 * at an entry gate, holding the lock, until one of the two counts is zero: the waiters it
 * waits for need no lock to take their signals, nor to give up, so the gate cannot
 * deadlock. A waiter that times out or is interrupted leaves before taking the lock back,
 * taking a signal it may take (it counts as signalled and returns as if it had been) or
 * else withdrawing from {@code waiting}: the signals given always match the waiters that
 * return signalled.
 *
 * <p><b>Blocking:</b> every await form throws {@link InterruptedException} if interrupted
 * while waiting (or, for a thread interrupted after it was signalled, returns normally
 * with its interrupt status set), except {@link #awaitUninterruptibly()}. A timeout or an
 * interrupt also ends a wait at the entry gate; the thread then still holds the lock.
 * <b>Memory visibility:</b> as for the lock. <b>Peers that die:</b> a waiter process killed
 * inside {@code await} stays counted in {@code waiting}. As signals name nobody, a signal
 * that picks it is taken by another thread that was waiting then, if any; else it stays
 * pending, set apart in {@code older} at the next wait, where it costs only this: a
 * thread that starts waiting while a newer signal is pending waits at the gate until that
 * signal's waiter has taken it. When both counts hold dead waiters' signals, a thread at
 * the gate drops {@code older} after {@value #GATE_LIMIT_NANOS} ns in which none of it
 * was taken (with a {@code WARNING} to the {@code System.Logger} named
 * {@code io.multiprocessing4j.sync}). So a killed waiter causes no spurious wake-up and
 * hangs nobody; at worst it holds up one later waiter, and the lock, for about that long.
 * The limit cannot tell a dead waiter from a stopped one: a waiter process that a signal
 * picked and that is stopped (SIGSTOP) or not scheduled for that long may lose the
 * signal, and then waits on for another or for its timeout. A signaller that dies cannot
 * hang a waiter (a signal is given in one atomic step); a lock holder that dies is
 * handled by the lock.
 *
 * <p>Every method except {@link #lock()} throws {@link IllegalMonitorStateException} when
 * the calling thread does not hold the lock.
 */
public final class Condition extends Shared implements java.util.concurrent.locks.Condition {
    @Serial private static final long serialVersionUID = 1L;
    private transient Spinner spinner;
    static final String KIND = "Condition";
    static final long SIZE = 28;
    private static final long STATE = 0, BELL = 8, SLEEPERS = 12, EPOCH = 16, GATE = 20, GATED = 24;
    private static final int FIELD = 21;
    private static final long ONE_OLDER = 1, ONE_SIGNALLED = 1L << FIELD, ONE_WAITING = 1L << 2 * FIELD;
    private static final long MASK = (1L << FIELD) - 1;
    /**
     * How long signals may stay untaken in {@code older}, while a thread waits at the gate,
     * before they are dropped as dead waiters': far above a wake-up's latency on a busy machine.
     */
    static final long GATE_LIMIT_NANOS = 1_000_000_000L;
    private static final LongAdder DROPPED = new LongAdder();

    private final SharedLock lock;

    Condition(Heap.Block block, SharedLock lock) {
        super(block, KIND);
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    private Condition(Handle handle, SharedLock lock) {
        super(handle, KIND);
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    final Spinner spinner() {
        Spinner s = spinner;
        if (s == null) spinner = s = new Spinner();
        return s;
    }

    /** A view of the condition that {@code handle} names, over (a view of) the lock it was made with. */
    public static Condition attach(Handle handle, SharedLock lock) { return new Condition(handle, lock); }

    /** A new condition over {@code lock}, carved from {@code heap}. */
    public static Condition create(Heap heap, SharedLock lock) { return new Condition(heap.allocate(SIZE), lock); }

    /** The lock this condition is used with. */
    public SharedLock lock() { return lock; }

    /** Waits until signalled. */
    @Override
    public void await() throws InterruptedException {
        awaitNanos0(-1, true);
    }

    /**
     * Python's {@code wait(timeout)}: waits until signalled, at most {@code timeout}
     * ({@code null}: for ever).
     *
     * @return false if the timeout elapsed without a signal
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return awaitNanos0(Futex.nanos(timeout), true);
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        return awaitNanos0(Math.max(0, unit.toNanos(time)), true);
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        long deadline = Futex.deadline(Math.max(0, nanosTimeout));
        awaitNanos0(Math.max(0, nanosTimeout), true);
        return deadline - System.nanoTime();
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        return awaitNanos0(Math.max(0, TimeUnit.MILLISECONDS.toNanos(deadline.getTime() - System.currentTimeMillis())), true);
    }

    @Override
    public void awaitUninterruptibly() {
        try {
            awaitNanos0(-1, false);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Python's {@code wait_for}: waits until {@code predicate} is true, evaluating it under
     * the lock first and after each wake-up, at most {@code timeout} in all ({@code null}:
     * for ever).
     *
     * @return the predicate's last value
     */
    public boolean waitFor(BooleanSupplier predicate, Duration timeout) throws InterruptedException {
        boolean result = predicate.getAsBoolean();
        long deadline = Futex.deadline(Futex.nanos(timeout));
        while (!result) {
            long left = Futex.remaining(deadline);
            if (left == 0) break;
            awaitNanos0(deadline == Long.MAX_VALUE ? -1 : left, true);
            result = predicate.getAsBoolean();
        }
        return result;
    }

    /** Wakes one waiter, if any: Python's {@code notify()}. */
    @Override
    public void signal() { signal(1); }

    /** Wakes up to {@code n} of the threads waiting now: Python's {@code notify(n)}. */
    public void signal(int n) {
        checkHeld("lock is not owned");
        if (n < 0) throw new IllegalArgumentException("n must be >= 0");
        int ignored = wake(n);
    }

    /** Wakes every thread waiting now: Python's {@code notify_all()}. */
    @Override
    public void signalAll() { signal(Integer.MAX_VALUE); }

    /** Picks up to {@code n} waiters and wakes them; returns how many it picked. The lock is held. */
    int wake(int n) {
        MemorySegment m = memory();
        for (long s; ; ) {
            s = (long) LONG.getVolatile(m, STATE);
            int k = Math.min(n, waiting(s));
            if (k == 0) return 0;
            if (LONG.compareAndSet(m, STATE, s, s - k * ONE_WAITING + k * ONE_SIGNALLED)) {
                int ignored = (int) INT.getAndAdd(m, BELL, 1);
                Futex.wake(m, BELL, SLEEPERS, k);
                return k;
            }
        }
    }

    private boolean awaitNanos0(long nanos, boolean interruptible) throws InterruptedException {
        checkHeld("must acquire() condition before using wait()");
        MemorySegment m = memory();
        long deadline = Futex.deadline(nanos);
        if (!enter(m, deadline, interruptible)) return false;
        int epoch = (int) INT.getVolatile(m, EPOCH);
        int saved = lock.releaseForWait();
        boolean signalled = false, interrupted = false;
        try {
            long start = System.nanoTime();
            // a signal often follows at once
            boolean spun = spinner().spinUntil(() -> mayTake((long) LONG.getVolatile(m, STATE), epoch, m),
                    start, nanos < 0 ? Long.MAX_VALUE : nanos);
            for (int round = 0; ; round++) {
                int bell = (int) INT.getVolatile(m, BELL);
                if (take(m, epoch)) {
                    if (!spun) spinner().slept(start);
                    signalled = true;
                    break;
                }
                long left = Futex.remaining(deadline);
                if (left == 0) break;
                try {
                    Futex.sleep(m, BELL, SLEEPERS, bell, left, round);
                } catch (InterruptedException e) {
                    interrupted = true;
                    if (interruptible) break;
                }
            }
        } finally {
            // Leave before taking the lock back: a thread at the gate holds it until we do.
            if (!signalled) signalled = leave(m, epoch);
            lock.restore(saved);
        }
        if (interrupted) {
            if (interruptible && !signalled) throw new InterruptedException();
            Thread.currentThread().interrupt();
        }
        return signalled;
    }

    /**
     * Counts the caller in {@code waiting}, first moving pending signals to {@code older}
     * (a new epoch), at the gate if {@code older} is in use. Returns false if the deadline
     * passed at the gate.
     */
    private boolean enter(MemorySegment m, long deadline, boolean interruptible) throws InterruptedException {
        long s = (long) LONG.getVolatile(m, STATE);
        if (signalled(s) != 0 && older(s) != 0 && !passGate(m, deadline, interruptible)) return false;
        s = (long) LONG.getVolatile(m, STATE);
        if (waiting(s) + signalled(s) + older(s) >= MASK) throw new IllegalStateException("too many threads wait on " + this);
        if (signalled(s) != 0) {
            // The epoch first: a waiter that sees the moved signals must see that its epoch is past.
            int ignored = (int) INT.getAndAdd(m, EPOCH, 1);
            do {
                s = (long) LONG.getVolatile(m, STATE);
            } while (!LONG.compareAndSet(m, STATE, s, s - signalled(s) * ONE_SIGNALLED + signalled(s) * ONE_OLDER));
        }
        long ignored = (long) LONG.getAndAdd(m, STATE, ONE_WAITING);
        return true;
    }

    /**
     * The entry gate: waits, holding the lock, until {@code signalled} or {@code older} is
     * zero. Returns false if the deadline passed first; drops {@code older} if none of it
     * was taken for {@link #GATE_LIMIT_NANOS}.
     */
    private boolean passGate(MemorySegment m, long deadline, boolean interruptible) throws InterruptedException {
        long since = System.nanoTime();
        if (spinner().spinUntil(() -> gateOpen(m), since, Futex.remaining(deadline))) return true;
        int seen = older((long) LONG.getVolatile(m, STATE));
        boolean interrupted = false;
        try {
            for (int round = 0; ; round++) {
                int gate = (int) INT.getVolatile(m, GATE);
                if (gateOpen(m)) return true;
                int now = older((long) LONG.getVolatile(m, STATE));
                long t = System.nanoTime();
                if (now != seen) {
                    seen = now;
                    since = t;
                } else if (t - since >= GATE_LIMIT_NANOS) {
                    drop(m);
                    return true;
                }
                long left = Futex.remaining(deadline);
                if (left == 0) return false;
                try {
                    Futex.sleep(m, GATE, GATED, gate, Math.min(left, GATE_LIMIT_NANOS - (t - since)), round);
                } catch (InterruptedException e) {
                    if (interruptible) throw e;
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private static boolean gateOpen(MemorySegment m) {
        long s = (long) LONG.getVolatile(m, STATE);
        return signalled(s) == 0 || older(s) == 0;
    }

    /** Drops the signals in {@code older}: their waiters died (see the class comment). */
    private void drop(MemorySegment m) {
        long s;
        do {
            s = (long) LONG.getVolatile(m, STATE);
        } while (older(s) != 0 && !LONG.compareAndSet(m, STATE, s, s - older(s) * ONE_OLDER));
        if (older(s) == 0) return;
        DROPPED.increment();
        Log.LOG.log(System.Logger.Level.WARNING, "Condition over {0}: {1} signal(s) not taken for {2} ms, their waiters died or are stopped: dropped",
                lock, older(s), GATE_LIMIT_NANOS / 1_000_000);
    }

    private static final class Log { // made on first use: System.getLogger bootstraps java.util.logging
        static final System.Logger LOG = System.getLogger("io.multiprocessing4j.sync");
    }

    /** How many times this JVM dropped signals at the gate (for tests). */
    static long gateFallbacks() { return DROPPED.sum(); }

    /** Whether state {@code s} holds a signal a waiter that began in {@code epoch} may take. */
    private static boolean mayTake(long s, int epoch, MemorySegment m) {
        return signalled(s) != 0 || older(s) != 0 && epoch != (int) INT.getVolatile(m, EPOCH);
    }

    /** Takes a signal the waiter that began in {@code epoch} may take, if there is one. */
    private static boolean take(MemorySegment m, int epoch) {
        for (long s; ; ) {
            s = (long) LONG.getVolatile(m, STATE);
            // The epoch after the state: if the state shows moved signals, the epoch shows the move.
            boolean past = epoch != (int) INT.getVolatile(m, EPOCH);
            long one = past && older(s) != 0 ? ONE_OLDER : signalled(s) != 0 ? ONE_SIGNALLED : 0;
            if (one == 0) return false;
            if (LONG.compareAndSet(m, STATE, s, s - one)) {
                if ((one == ONE_OLDER ? older(s) : signalled(s)) == 1) { // a count dropped to zero: open the gate
                    int ignored = (int) INT.getAndAdd(m, GATE, 1);
                    Futex.wake(m, GATE, GATED, Integer.MAX_VALUE);
                }
                return true;
            }
        }
    }

    /**
     * A waiter that gives up takes a signal it may take (returning true), or else withdraws
     * from {@code waiting}, in one step, so that no signal can pick it in between.
     */
    private static boolean leave(MemorySegment m, int epoch) {
        for (long s; ; ) {
            s = (long) LONG.getVolatile(m, STATE);
            if (mayTake(s, epoch, m)) {
                if (take(m, epoch)) return true;
            } else if (waiting(s) == 0 // only after a drop took a live waiter's signal: nothing to withdraw
                    || LONG.compareAndSet(m, STATE, s, s - ONE_WAITING)) {
                return false;
            }
        }
    }

    private static int older(long state) { return (int) (state & MASK); }

    private static int signalled(long state) { return (int) (state >>> FIELD & MASK); }

    private static int waiting(long state) { return (int) (state >>> 2 * FIELD); }

    /** Waiters no signal has picked yet (for tests; read it under the lock). */
    int waitingCount() { return waiting((long) LONG.getVolatile(memory(), STATE)); }

    /** Signals given and not yet taken (for tests). */
    int signalledCount() {
        long s = (long) LONG.getVolatile(memory(), STATE);
        return signalled(s) + older(s);
    }

    private void checkHeld(String message) {
        if (!lock.isHeldByCurrentThread()) throw new IllegalMonitorStateException(message);
    }

    @Override
    public String toString() {
        long st = (long) LONG.getVolatile(memory(), STATE);
        return "Condition(" + lock + ", waiting=" + waiting(st) + ", signalled=" + (signalled(st) + older(st)) + ")";
    }
}
