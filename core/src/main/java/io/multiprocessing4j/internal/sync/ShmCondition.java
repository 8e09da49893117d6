package io.multiprocessing4j.internal.sync;

import io.multiprocessing4j.internal.os.Timeouts;
import io.multiprocessing4j.shm.ClosedObjectException;
import io.multiprocessing4j.shm.Handle;
import io.multiprocessing4j.internal.shm.Heap;
import io.multiprocessing4j.internal.shm.Shared;

import java.io.Serial;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

import static io.multiprocessing4j.internal.sync.Futex.INT;
import static io.multiprocessing4j.internal.sync.Futex.LONG;

/**
 * Python's {@code multiprocessing.Condition}, also a
 * {@link java.util.concurrent.locks.Condition}: threads of any process wait on it, holding
 * its lock, until another signals. The lock is a {@link ShmLock} or an {@link ShmRLock} (the
 * default); a wait releases it completely and takes it back, at the same depth, before
 * returning. Python's {@code wait}, {@code notify} and {@code notify_all} are spelled
 * {@link #await()}, {@link #signal(int)} and {@link #signalAll()}, since
 * {@code java.lang.Object} owns the other names.
 *
 * <p><b>Who is woken:</b> as in Python, {@code signal(n)} wakes up to {@code n} of the
 * threads that are waiting when it is called (which ones is unspecified); a thread that
 * starts waiting afterwards, the signaller included, cannot take their place. A waiter
 * wakes only when signalled, or when its timeout elapses or it is interrupted; nothing
 * else wakes it.
 * <pre>
 *  0           4           8           12          16
 *  +-----------+-----------+-----------+-----------+
 *  | signalled |  waiting  | sleepers  |  gated    |
 *  +-----------+-----------+-----------+-----------+
 *  waiting    threads inside await that no signal has picked yet
 *  signalled  threads inside await that a signal picked and that have not yet woken (the
 *             futex word); with waiting, one long (STATE, shown little-endian), changed by
 *             compare-and-set, so that a waiter that gives up leaves in one step
 *  sleepers   futex sleepers waiting for a signal;  gated: futex sleepers at the entry gate
 * </pre>
 * Entering, a waiter adds one to {@code waiting} (holding the lock). {@code signal(n)}
 * moves up to {@code n} from {@code waiting} to {@code signalled}. A waiter wakes by taking
 * one from {@code signalled}, without the lock. The counts name nobody, so a thread may
 * start waiting only while {@code signalled} is zero: every thread counted then waited
 * before every outstanding signal was given. A thread that finds {@code signalled}
 * non-zero waits at this entry gate, holding the lock, until the picked waiters have woken
 * (they do not need the lock for that, and neither does a waiter giving up, so the gate
 * cannot deadlock). A waiter that times out or is interrupted leaves before taking the
 * lock back: by taking one from {@code signalled} if it is non-zero (it counts as
 * signalled, and returns as if it had been), else by withdrawing one from {@code waiting}.
 * Either way the signals given match the waiters that return signalled.
 *
 * <p><b>Blocking:</b> every await form throws {@link InterruptedException} if interrupted
 * while waiting (or, for a thread interrupted after it was signalled, returns normally
 * with its interrupt status set), except {@link #awaitUninterruptibly()}. A timeout or an
 * interrupt also ends a wait at the entry gate; the thread then still holds the lock.
 * Every await form throws {@link ClosedObjectException} when the condition's context is
 * closed while it waits.
 * <b>Memory visibility:</b> as for the lock. <b>Peers that die:</b> a waiter process killed
 * inside {@code await} stays counted. Until a signal picks it, it costs nothing but a place
 * in {@code waiting}: a later {@code signal(n)} with {@code n} above the live waiters may
 * pick it. As signals name nobody, a signal that picked a dead waiter is taken by another
 * thread that was waiting then, if any; else the next thread to wait finds it at the gate,
 * and after {@value #GATE_LIMIT_NANOS} ns in which no signal was taken drops every signal
 * still pending (with a {@code WARNING} to the {@code System.Logger} named
 * {@code io.multiprocessing4j.sync}) and goes on. So each killed waiter holds up at most
 * one later waiter, and the lock, by about that long, once; it causes no spurious wake-up. The limit cannot tell a dead waiter from a stopped one: a waiter
 * process that a signal picked while it was stopped (SIGSTOP) or not scheduled for that
 * long may lose that signal, and then waits on for another or for its timeout. A
 * signaller that dies cannot hang a waiter (a signal is given in one atomic step); a lock
 * holder that dies is handled by the lock.
 *
 * <p>Every method except {@link #lock()} throws {@link IllegalMonitorStateException} when
 * the calling thread does not hold the lock.
 */
public final class ShmCondition extends Shared implements io.multiprocessing4j.sync.Condition {
    @Serial private static final long serialVersionUID = 1L;
    static final String KIND = "Condition";
    // the layout drawn above
    private static final long STATE = 0, SLEEPERS = STATE + 8, GATED = SLEEPERS + 4;
    static final long SIZE = GATED + 4;
    /** The futex word: the low half of STATE, whatever the byte order. */
    private static final long SIGNALLED = STATE + (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 0 : 4);
    private static final long ONE_WAITING = 1L << 32;
    /**
     * How long a pending signal may stay untaken, while a thread waits at the gate, before
     * it is dropped as a dead waiter's: far above a wake-up's latency on a busy machine.
     */
    static final long GATE_LIMIT_NANOS = 1_000_000_000L;
    private static final LongAdder DROPPED = new LongAdder();

    private final SharedLock lock;
    private transient FutexWait<RuntimeException> signal; // until this waiter takes a signal; made by the first wait
    private transient Gate gate;

    ShmCondition(Heap.Block block, SharedLock lock) {
        super(block, KIND);
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    private ShmCondition(Handle handle, SharedLock lock) {
        super(handle, KIND);
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    /** A view of the condition that {@code handle} names, over (a view of) the lock it was made with. */
    public static ShmCondition attach(Handle handle, SharedLock lock) { return new ShmCondition(handle, lock); }

    /** A new condition over {@code lock}, carved from {@code heap}. */
    public static ShmCondition create(Heap heap, SharedLock lock) { return new ShmCondition(heap.allocate(SIZE), lock); }

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
        return awaitNanos0(Timeouts.nanos(timeout), true);
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        return awaitNanos0(Timeouts.nanos(time, unit), true);
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        long deadline = Timeouts.deadline(Math.max(0, nanosTimeout));
        awaitNanos0(Math.max(0, nanosTimeout), true);
        return deadline - System.nanoTime();
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        return awaitNanos0(Timeouts.nanos(Duration.between(Instant.now(), deadline.toInstant())), true);
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
        long deadline = Timeouts.deadline(Timeouts.nanos(timeout));
        while (!result) {
            long left = Timeouts.remaining(deadline);
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
    public int wake(int n) {
        MemorySegment m = memory();
        for (long s; ; ) {
            s = (long) LONG.getVolatile(m, STATE);
            int k = Math.min(n, waiting(s));
            if (k == 0) return 0;
            if (LONG.compareAndSet(m, STATE, s, s - k * ONE_WAITING + k)) {
                Futex.wake(m, SIGNALLED, SLEEPERS, k);
                return k;
            }
        }
    }

    private boolean awaitNanos0(long nanos, boolean interruptible) throws InterruptedException {
        try {
            return awaitClosable(nanos, interruptible);
        } catch (IllegalStateException e) {
            // the waits convert their own failures; this covers the leave and the lock's
            // restore that follow a wait that failed so
            throw ClosedObjectException.of(memory(), e);
        }
    }

    private boolean awaitClosable(long nanos, boolean interruptible) throws InterruptedException {
        checkHeld("must acquire() condition before using wait()");
        if (interruptible && Thread.interrupted()) throw new InterruptedException(); // the lock still held, as java.util.concurrent's
        MemorySegment m = memory();
        long deadline = Timeouts.deadline(nanos);
        if (!passGate(deadline, interruptible)) return false;
        long ignored = (long) LONG.getAndAdd(m, STATE, ONE_WAITING);
        int saved = lock.releaseForWait();
        boolean signalled = false, interrupted = false;
        try {
            FutexWait<RuntimeException> w = signal;
            if (w == null) signal = w = new FutexWait<>(FutexWord.plain(m, SIGNALLED, SLEEPERS), arg -> take(m));
            signalled = w.await(0, Timeouts.remaining(deadline), interruptible);
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            // Leave before taking the lock back: a thread at the gate holds it until we do.
            if (!signalled) signalled = leave(m);
            lock.restore(saved);
        }
        if (interrupted) {
            if (!signalled) throw new InterruptedException();
            Thread.currentThread().interrupt();
        }
        return signalled;
    }

    /**
     * The entry gate: waits, holding the lock, until no signal is pending. Returns false if
     * the deadline passed first; drops the pending signals if none was taken for
     * {@link #GATE_LIMIT_NANOS}.
     */
    private boolean passGate(long deadline, boolean interruptible) throws InterruptedException {
        if (signalled(memory()) == 0) return true;
        Gate g = gate;
        if (g == null) gate = g = new Gate(memory());
        g.seen = signalled(memory());
        g.since = System.nanoTime();
        return g.wait.await(0, Timeouts.remaining(deadline), interruptible);
    }

    /**
     * The wait at the entry gate, and what it saw of the pending signals. Only the lock's
     * holder waits there, so the lock guards the fields.
     */
    private final class Gate implements FutexWait.Test<RuntimeException> {
        final MemorySegment m;
        final FutexWait<RuntimeException> wait;
        int seen; // the pending signals, and since when nobody took one
        long since;

        Gate(MemorySegment m) {
            this.m = m;
            this.wait = new FutexWait<>(FutexWord.plain(m, SIGNALLED, GATED), this);
        }

        @Override
        public boolean ready(long arg) { return signalled(m) == 0; }

        @Override
        public boolean checkPeers(long arg, int now, boolean livenessDue) {
            long t = System.nanoTime();
            if (now != seen) {
                seen = now;
                since = t;
                return false;
            }
            if (t - since < GATE_LIMIT_NANOS) return false;
            drop(m);
            return true;
        }
    }

    /** Drops the pending signals that nobody took: their waiters died (see the class comment). */
    private void drop(MemorySegment m) {
        long s;
        do {
            s = (long) LONG.getVolatile(m, STATE);
        } while (signalled(s) != 0 && !LONG.compareAndSet(m, STATE, s, s & -ONE_WAITING));
        if (signalled(s) == 0) return;
        DROPPED.increment();
        Log.LOG.log(System.Logger.Level.WARNING, "Condition over {0}: {1} signal(s) not taken for {2} ms, their waiters died or are stopped: dropped",
                lock, signalled(s), GATE_LIMIT_NANOS / 1_000_000);
    }

    private static final class Log { // made on first use: System.getLogger bootstraps java.util.logging
        static final System.Logger LOG = System.getLogger("io.multiprocessing4j.sync");
    }

    /** How many times this JVM dropped signals at the gate (for tests). */
    public static long gateFallbacks() { return DROPPED.sum(); }

    /** Takes a pending signal, if there is one. */
    private static boolean take(MemorySegment m) {
        for (long s; signalled(s = (long) LONG.getVolatile(m, STATE)) > 0; ) {
            if (LONG.compareAndSet(m, STATE, s, s - 1)) {
                if (signalled(s) == 1) Futex.wake(m, SIGNALLED, GATED, Integer.MAX_VALUE);
                return true;
            }
        }
        return false;
    }

    /**
     * A waiter that gives up takes a pending signal (returning true), or else withdraws from
     * the waiting count, in one step, so that no signal can pick it in between.
     */
    private static boolean leave(MemorySegment m) {
        for (long s; ; ) {
            s = (long) LONG.getVolatile(m, STATE);
            if (signalled(s) > 0) {
                if (take(m)) return true;
            } else if (waiting(s) == 0 // only after a drop took a live waiter's signal: nothing to withdraw
                    || LONG.compareAndSet(m, STATE, s, s - ONE_WAITING)) {
                return false;
            }
        }
    }

    private static int signalled(long state) { return (int) state; }

    private static int waiting(long state) { return (int) (state >>> 32); }

    private static int signalled(MemorySegment m) { return (int) INT.getVolatile(m, SIGNALLED); }

    /** Waiters no signal has picked yet (for tests; read it under the lock). */
    public int waitingCount() { return waiting((long) LONG.getVolatile(memory(), STATE)); }

    /** Signals given and not yet taken (for tests). */
    public int signalledCount() { return signalled(memory()); }

    private void checkHeld(String message) {
        if (!lock.isHeldByCurrentThread()) throw new IllegalMonitorStateException(message);
    }

    @Override
    public String toString() {
        long st = (long) LONG.getVolatile(memory(), STATE);
        return "Condition(" + lock + ", waiting=" + waiting(st) + ", signalled=" + signalled(st) + ")";
    }
}
