package io.multiprocessing4j.internal.sync;

import io.multiprocessing4j.internal.os.Timeouts;
import io.multiprocessing4j.shm.ClosedObjectException;
import io.multiprocessing4j.function.SerializableRunnable;
import io.multiprocessing4j.shm.Handle;
import io.multiprocessing4j.internal.shm.Heap;
import io.multiprocessing4j.internal.shm.Shared;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;

import static io.multiprocessing4j.internal.sync.Futex.INT;
import static io.multiprocessing4j.internal.sync.Futex.LONG;

/**
 * Python's {@code multiprocessing.Barrier}, the cross-process cousin of
 * {@link java.util.concurrent.CyclicBarrier}: {@code parties} threads of any processes
 * call {@link #await()}; the last to arrive runs the action (if any) and releases them
 * all; the barrier is then ready for the next cycle.
 * <pre>
 *  0                 32       36       40       44       48                56       60
 *  +-----------------+--------+--------+--------+--------+-----------------+--------+
 *  | mutex           | gen    | waiters| count  | broken | outcomes        | parties|
 *  +-----------------+--------+--------+--------+--------+-----------------+--------+
 *  mutex     guards the words after it (a {@link Mutex}: survives a holder's death)
 *  gen       cycle number, bumped when a cycle ends or breaks (the futex word)
 *  count     threads waiting in this cycle
 *  broken    1 once broken, until reset
 *  outcomes  bit (cycle mod 64) is 1 when that cycle ended broken: a waiter that wakes
 *            late reads its own cycle's outcome there (unless 64 more cycles have ended)
 * </pre>
 *
 * <p>A cycle breaks, for every thread in it and every later caller until {@link #reset()},
 * when a waiter times out, is interrupted, or the action throws, and on {@link #abort()}.
 * The thread that timed out gets a {@link BrokenBarrierException} caused by a
 * {@link TimeoutException} (Python raises {@code BrokenBarrierError} in all of them); the
 * action's unchecked exception reaches the thread that ran it (a checked one arrives as the
 * cause of a {@link BrokenBarrierException}).
 *
 * <p><b>Blocking:</b> {@link #await()} waits for the cycle, or the default timeout given at
 * creation; {@link #await(Duration)} at most the timeout; an interrupt breaks the barrier and
 * throws {@link InterruptedException}. <b>Memory visibility:</b> what a thread wrote before
 * {@code await} is visible to every thread of the cycle after its {@code await} returns, and
 * to the action. <b>Peers that die:</b> a thread killed inside {@code await} never arrives,
 * so the others wait for their timeout, which then breaks the barrier: give one when a peer
 * may die.
 */
public final class ShmBarrier extends Shared implements io.multiprocessing4j.sync.Barrier {
    @Serial private static final long serialVersionUID = 1L;
    static final String KIND = "Barrier";
    // the layout drawn above
    private static final long MUTEX = 0, GEN = MUTEX + Mutex.SIZE, WAITERS = GEN + 4, COUNT = WAITERS + 4,
            BROKEN = COUNT + 4, OUTCOMES = BROKEN + 4, PARTIES = OUTCOMES + 8;
    static final long SIZE = PARTIES + 4;

    private final SerializableRunnable action;
    private final Duration timeout;
    private transient Mutex mutex;
    private transient FutexWait<RuntimeException> cycleEnded; // arg: the cycle; made by the first wait

    ShmBarrier(Heap.Block block, int parties, SerializableRunnable action, Duration timeout) {
        super(block, KIND);
        this.action = action;
        this.timeout = timeout;
        INT.setVolatile(memory(), PARTIES, parties);
        mutex = newMutex();
    }

    private ShmBarrier(Handle handle, SerializableRunnable action, Duration timeout) {
        super(handle, KIND);
        this.action = action;
        this.timeout = timeout;
        mutex = newMutex();
    }

    // Made with the object, not on first use: compiled code would otherwise trap on the first
    // use of each new barrier, and deoptimize (measured: lock_uncontended, a new lock per run).
    private Mutex newMutex() { return new Mutex(memory(), MUTEX, handle(), Mutex.Kind.PLAIN); }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        mutex = newMutex();
    }

    /**
     * A view of the barrier that {@code handle} names. The action and default timeout are
     * this process's: pass the same ones as its creator where they matter.
     */
    public static ShmBarrier attach(Handle handle, SerializableRunnable action, Duration timeout) {
        return new ShmBarrier(handle, action, timeout);
    }

    /**
     * A new barrier for {@code parties} threads, carved from {@code heap}.
     *
     * @param action  run by the last arrival of each cycle before the others are released; may be null
     * @param timeout the default for {@link #await()}; null: none
     * @throws IllegalArgumentException if {@code parties} is not positive
     */
    public static ShmBarrier create(Heap heap, int parties, SerializableRunnable action, Duration timeout) {
        if (parties <= 0) throw new IllegalArgumentException("parties must be > 0, not " + parties);
        return new ShmBarrier(heap.allocate(SIZE), parties, action, timeout);
    }

    /**
     * Waits for the other parties, at most the default timeout given at creation (none if
     * none was given).
     *
     * @return this thread's arrival index, 0 to {@code parties - 1}; the last arrival gets
     *         {@code parties - 1} and runs the action
     * @throws BrokenBarrierException if the barrier is or becomes broken while waiting
     * @throws InterruptedException   if interrupted while waiting (the barrier breaks)
     * @throws ClosedObjectException  if the barrier's memory is closed (its context closed)
     *                                before or while this thread waits
     */
    public int await() throws InterruptedException, BrokenBarrierException {
        return await(timeout);
    }

    /** As {@link #await()}, waiting at most {@code timeout} ({@code null}: for ever). */
    public int await(Duration timeout) throws InterruptedException, BrokenBarrierException {
        try {
            return awaitNanos(Timeouts.nanos(timeout));
        } catch (IllegalStateException e) {
            // the waits convert their own failures; this covers the accesses around them
            throw ClosedObjectException.of(memory(), e);
        }
    }

    private int awaitNanos(long nanos) throws InterruptedException, BrokenBarrierException {
        long deadline = Timeouts.deadline(nanos);
        MemorySegment m = memory();
        Mutex mx = mutex;
        mx.acquire(-1);
        int gen, index;
        try {
            if ((int) INT.getVolatile(m, BROKEN) != 0) throw new BrokenBarrierException();
            if (Thread.interrupted()) { // as java.util.concurrent's: an interrupted party breaks the barrier
                breakLocked(m);
                throw new InterruptedException();
            }
            gen = (int) INT.getVolatile(m, GEN);
            index = (int) INT.getVolatile(m, COUNT);
            INT.setVolatile(m, COUNT, index + 1);
            if (index + 1 == parties()) {
                if (action != null) {
                    try {
                        action.run();
                    } catch (RuntimeException | Error e) {
                        breakLocked(m);
                        throw e;
                    } catch (Exception e) {
                        breakLocked(m);
                        throw (BrokenBarrierException) new BrokenBarrierException("the barrier action failed").initCause(e);
                    }
                }
                INT.setVolatile(m, COUNT, 0);
                advance(m, gen, false);
                return index;
            }
        } finally {
            mx.release();
        }
        // the last party is often close behind: the wait spins first
        boolean ended;
        try {
            ended = cycleEnded().await(gen, Timeouts.remaining(deadline));
        } catch (InterruptedException e) {
            if (breakIfStill(m, mx, gen)) throw e;
            Thread.currentThread().interrupt(); // the cycle ended first: keep the interrupt for later
            ended = true;
        }
        if (!ended && breakIfStill(m, mx, gen)) {
            BrokenBarrierException e = new BrokenBarrierException("timed out");
            e.initCause(new TimeoutException());
            throw e;
        }
        if (((long) LONG.getVolatile(m, OUTCOMES) & 1L << gen) != 0) throw new BrokenBarrierException();
        return index;
    }

    private FutexWait<RuntimeException> cycleEnded() {
        FutexWait<RuntimeException> w = cycleEnded;
        if (w == null) {
            MemorySegment m = memory();
            cycleEnded = w = new FutexWait<>(FutexWord.plain(m, GEN, WAITERS), gen -> (int) INT.getVolatile(m, GEN) != (int) gen);
        }
        return w;
    }

    /** Breaks the current cycle if it is still {@code gen}; false when it had ended already. */
    private boolean breakIfStill(MemorySegment m, Mutex mx, int gen) {
        mx.acquireUninterruptibly();
        try {
            if ((int) INT.getVolatile(m, GEN) != gen) return false;
            breakLocked(m);
            return true;
        } finally {
            mx.release();
        }
    }

    private static void breakLocked(MemorySegment m) {
        INT.setVolatile(m, BROKEN, 1);
        INT.setVolatile(m, COUNT, 0);
        advance(m, (int) INT.getVolatile(m, GEN), true);
    }

    /** Ends cycle {@code gen}, records how, and wakes its waiters. */
    private static void advance(MemorySegment m, int gen, boolean broken) {
        long bit = 1L << gen, outcomes = (long) LONG.getVolatile(m, OUTCOMES);
        LONG.setVolatile(m, OUTCOMES, broken ? outcomes | bit : outcomes & ~bit);
        INT.setVolatile(m, GEN, gen + 1);
        Futex.wake(m, GEN, WAITERS, Integer.MAX_VALUE);
    }

    /**
     * Returns the barrier to its initial state: threads waiting in the current cycle get
     * {@link BrokenBarrierException}; later callers start a fresh cycle.
     */
    public void reset() {
        locked(() -> {
            MemorySegment m = memory();
            if ((int) INT.getVolatile(m, COUNT) > 0) breakLocked(m);
            INT.setVolatile(m, BROKEN, 0);
        });
    }

    /** Breaks the barrier: current and later waiters get {@link BrokenBarrierException} until {@link #reset()}. */
    public void abort() { locked(() -> breakLocked(memory())); }

    public int parties() { return (int) INT.getVolatile(memory(), PARTIES); }

    /** Whether this view runs an action when a cycle ends (code, which only Java serialization carries). */
    public boolean hasAction() { return action != null; }

    /** The timeout of {@link #await()} without one; null: none. */
    public Duration defaultTimeout() { return timeout; }

    /** How many threads wait in the current cycle. */
    public int nWaiting() { return (int) INT.getVolatile(memory(), COUNT); }

    public boolean isBroken() { return (int) INT.getVolatile(memory(), BROKEN) != 0; }

    private void locked(Runnable r) {
        Mutex mx = mutex;
        mx.acquireUninterruptibly();
        try {
            r.run();
        } finally {
            mx.release();
        }
    }

    @Override
    public String toString() {
        return "Barrier(parties=" + parties() + ", waiting=" + nWaiting() + (isBroken() ? ", broken" : "") + ")";
    }
}
