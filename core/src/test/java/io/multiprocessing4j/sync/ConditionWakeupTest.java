package io.multiprocessing4j.sync;


import io.multiprocessing4j.internal.sync.ShmCondition;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.internal.os.Native;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.shm.Segment;
import io.multiprocessing4j.testsupport.Children;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.multiprocessing4j.testsupport.Await.HANG;
import static io.multiprocessing4j.testsupport.Await.concurrently;
import static io.multiprocessing4j.testsupport.Await.eventually;
import static io.multiprocessing4j.testsupport.Children.spawnAlike;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Python's wake-up rule: {@code notify(n)} wakes up to n threads that were waiting when it
 * was called, and a thread that starts waiting afterwards cannot take their place. The
 * turn-taking tests wait without timeouts: a lost wake-up hangs them until the suite's
 * per-test timeout.
 */
class ConditionWakeupTest {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final int SIGSTOP = 19; // Linux x86-64 and aarch64

    /**
     * One party of a round-robin: {@code rounds} times, waits (no timeout) until the shared
     * turn counter at offset 0 names it, advances it and signals. Party {@code me} waits with
     * the await form {@code me % 4}: await(), awaitUninterruptibly(), awaitNanos, waitFor.
     */
    static int takeTurns(Condition c, MemorySegment m, int me, int parties, int rounds, boolean all)
            throws InterruptedException {
        Lock lock = c.lock();
        for (int r = 0; r < rounds; r++) {
            lock.lock();
            try {
                switch (me % 4) {
                    case 0 -> { while (m.get(INT, 0) % parties != me) c.await(); }
                    case 1 -> { while (m.get(INT, 0) % parties != me) c.awaitUninterruptibly(); }
                    case 2 -> { while (m.get(INT, 0) % parties != me) c.awaitNanos(Long.MAX_VALUE); }
                    default -> assertTrue(c.waitFor(() -> m.get(INT, 0) % parties == me, null));
                }
                m.set(INT, 0, m.get(INT, 0) + 1);
                if (all) c.signalAll(); else c.signal();
            } finally {
                lock.unlock();
            }
        }
        return rounds;
    }

    private static void turnsBetweenThreads(Lock lock, int parties, int rounds, boolean all) throws Exception {
        try (Context ctx = spawnAlike(); Segment seg = ctx.createSegment(64)) {
            Condition c = ctx.condition(lock == null ? ctx.lock() : lock);
            long fallbacks = ShmCondition.gateFallbacks();
            List<Callable<Integer>> parts = new ArrayList<>();
            for (int i = 0; i < parties; i++) {
                int me = i;
                parts.add(() -> takeTurns(c, seg.memory(), me, parties, rounds, all));
            }
            concurrently(parts);
            assertEquals(parties * rounds, seg.memory().get(INT, 0));
            assertQuiet(c);
            assertEquals(fallbacks, ShmCondition.gateFallbacks(), "no signal was left untaken for long");
        }
    }

    /** Nobody waits and no signal is pending. */
    private static void assertQuiet(Condition c) {
        c.lock().lock();
        try {
            assertEquals(0, ((ShmCondition) c).waitingCount(), "unsignalled waiters");
            assertEquals(0, ((ShmCondition) c).signalledCount(), "signals not taken");
        } finally {
            c.lock().unlock();
        }
    }

    @Test
    void twoThreadsTakeTurnsWithSignal() throws Exception {
        turnsBetweenThreads(null, 2, 20_000, false);
    }

    /** The same through an RLock held twice by each party: a wait lets go of both holds. */
    @Test
    void twoThreadsTakeTurnsThroughAnRLockHeldTwice() throws Exception {
        try (Context ctx = spawnAlike(); Segment seg = ctx.createSegment(64)) {
            RLock lock = ctx.rlock();
            Condition c = ctx.condition(lock);
            List<Callable<Integer>> parts = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                int me = i;
                parts.add(() -> {
                    lock.acquire();
                    try {
                        return takeTurns(c, seg.memory(), me, 2, 10_000, false);
                    } finally {
                        lock.release();
                    }
                });
            }
            concurrently(parts);
            assertEquals(20_000, seg.memory().get(INT, 0));
            assertQuiet(c);
        }
    }

    @Test
    void fourThreadsTakeTurnsRoundRobinWithSignalAll() throws Exception {
        turnsBetweenThreads(null, 4, 3_000, true);
    }

    /**
     * Three parties pass a ball: each waits until another threw it last. Every waiter but the
     * thrower may take the next throw, so {@code signal()} suffices; the thrower waits again at
     * once and must not take its own signal.
     */
    @Test
    void threeThreadsPassABallWithSignalOne() throws Exception {
        int total = 30_000;
        try (Context ctx = spawnAlike(); Segment seg = ctx.createSegment(64)) {
            Lock lock = ctx.lock();
            Condition c = ctx.condition(lock);
            MemorySegment m = seg.memory(); // 0: throws so far, 4: last thrower + 1
            List<Callable<Integer>> parts = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                int me = i;
                parts.add(() -> {
                    int mine = 0;
                    lock.lock();
                    try {
                        while (true) {
                            while (m.get(INT, 4) == me && m.get(INT, 0) < total) c.await();
                            if (m.get(INT, 0) >= total) return mine;
                            m.set(INT, 4, me);
                            m.set(INT, 0, m.get(INT, 0) + 1);
                            mine++;
                            if (m.get(INT, 0) == total) c.signalAll(); else c.signal();
                            lock.unlock(); // let another thread in between throws
                            lock.lock();
                        }
                    } finally {
                        lock.unlock();
                    }
                });
            }
            List<Integer> throwsEach = concurrently(parts);
            assertEquals(total, throwsEach.stream().mapToInt(Integer::intValue).sum());
            assertQuiet(c);
        }
    }

    /** The parent and a child JVM take turns; the child is party 1. */
    @Test
    void aParentAndAChildTakeTurns() throws Exception {
        int rounds = 5_000;
        try (Context ctx = spawnAlike(); Segment seg = ctx.createSegment(64)) {
            Condition c = ctx.condition(ctx.lock());
            BaseProcess p = Children.start(ctx.process((Condition cond, String name) -> {
                try (Segment s = Segment.attach(name)) {
                    takeTurns(cond, s.memory(), 1, 2, 5_000, false);
                }
            }, c, seg.name()));
            try {
                takeTurns(c, seg.memory(), 0, 2, rounds, false);
                Children.joinOk(p);
                assertEquals(2 * rounds, seg.memory().get(INT, 0));
                assertQuiet(c);
            } finally {
                Children.reap(p);
            }
        }
    }

    /**
     * A thread that starts waiting right after {@code signal(n)}, here the signaller itself,
     * does not take the signal of a thread that was waiting; nor does {@code signal(n)} with
     * n above the number of waiters leave a signal for it.
     */
    @Test
    void aThreadThatWaitsAfterTheSignalDoesNotTakeAWaitersPlace() throws Exception {
        try (Context ctx = spawnAlike()) {
            Lock lock = ctx.lock();
            Condition c = ctx.condition(lock);
            for (int round = 0; round < 20; round++) {
                int waiters = 1 + round % 2, n = round % 4 < 2 ? waiters : waiters + 1;
                List<Thread> ts = new ArrayList<>();
                AtomicLong woken = new AtomicLong();
                for (int i = 0; i < waiters; i++) {
                    ts.add(Thread.ofPlatform().start(() -> {
                        lock.lock();
                        try {
                            if (c.await(HANG)) woken.incrementAndGet();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } finally {
                            lock.unlock();
                        }
                    }));
                }
                eventually(() -> waitingUnderLock(c) == waiters, waiters + " threads wait");
                lock.lock();
                boolean mine;
                try {
                    c.signal(n);
                    mine = c.await(Duration.ofMillis(20));
                } finally {
                    lock.unlock();
                }
                for (Thread t : ts) t.join(HANG);
                assertFalse(mine, "round " + round + ": the late waiter took a signal");
                assertEquals(waiters, woken.get(), "round " + round + ": every earlier waiter was woken");
                assertQuiet(c);
            }
        }
    }

    private static int waitingUnderLock(Condition c) {
        c.lock().lock();
        try {
            return ((ShmCondition) c).waitingCount();
        } finally {
            c.lock().unlock();
        }
    }

    /**
     * Waiters with short timeouts, interrupted now and then, race a signaller: every signal
     * that picked a waiter is accounted for by exactly one wait that returned true (a waiter
     * that gives up either takes a signal meant for it or withdraws before one picks it).
     */
    @Test
    void timeoutsAndInterruptsRacingSignalsLoseNone() throws Exception {
        int waiters = 3, rounds = 4_000;
        try (Context ctx = spawnAlike()) {
            Lock lock = ctx.lock();
            Condition c = ctx.condition(lock);
            AtomicLong picked = new AtomicLong(), trueReturns = new AtomicLong(), interrupts = new AtomicLong();
            AtomicBoolean done = new AtomicBoolean();
            List<Thread> ws = new CopyOnWriteArrayList<>();
            List<Callable<Void>> parts = new ArrayList<>();
            for (int i = 0; i < waiters; i++) {
                parts.add(() -> {
                    ws.add(Thread.currentThread());
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    for (int r = 0; r < rounds; r++) {
                        lock.lock();
                        try {
                            boolean ok = switch (r % 3) {
                                case 0 -> c.await(Duration.ofNanos(rnd.nextLong(300_000)));
                                case 1 -> c.await(rnd.nextLong(300_000), TimeUnit.NANOSECONDS);
                                default -> c.awaitUntil(new Date(System.currentTimeMillis() + rnd.nextInt(2)));
                            };
                            if (ok) trueReturns.incrementAndGet();
                        } catch (InterruptedException e) {
                            interrupts.incrementAndGet();
                        } finally {
                            lock.unlock();
                        }
                        Thread.interrupted(); // a signalled wait returns normally with the status set
                    }
                    return null;
                });
            }
            Thread signaller = Thread.ofPlatform().start(() -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                while (!done.get()) {
                    lock.lock();
                    try {
                        picked.addAndGet(((ShmCondition) c).wake(1 + rnd.nextInt(2)));
                    } finally {
                        lock.unlock();
                    }
                    if (rnd.nextInt(8) == 0) {
                        List<Thread> now = List.copyOf(ws);
                        if (!now.isEmpty()) now.get(rnd.nextInt(now.size())).interrupt();
                    }
                    Thread.onSpinWait();
                }
            });
            try {
                concurrently(parts);
            } finally {
                done.set(true);
                signaller.join(HANG);
            }
            assertTrue(picked.get() > 0 && interrupts.get() > 0, picked + " signals, " + interrupts + " interrupts");
            assertEquals(picked.get(), trueReturns.get(), "signals that picked a waiter vs waits that returned true");
            assertQuiet(c);
        }
    }

    /**
     * A child JVM killed while it waits, unsignalled, stays counted as a waiter, and a later
     * signal may pick it: the threads that take turns afterwards, with signal() and then
     * signalAll(), go on.
     */
    @Test
    void theOthersGoOnAfterAWaiterIsKilledInAwait() throws Exception {
        try (Context ctx = spawnAlike(); Segment seg = ctx.createSegment(64)) {
            Condition c = ctx.condition(ctx.lock());
            BaseProcess p = startWaiter(ctx, c, 1);
            try {
                p.kill();
                Children.joinOk(p, -9);
            } finally {
                Children.reap(p);
            }
            for (boolean all : new boolean[] {false, true}) {
                seg.memory().set(INT, 0, 0);
                List<Callable<Integer>> parts = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    int me = i;
                    parts.add(() -> takeTurns(c, seg.memory(), me, 2, 2_000, all));
                }
                concurrently(parts);
                assertEquals(4_000, seg.memory().get(INT, 0));
            }
            c.lock().lock();
            try {
                assertTrue(((ShmCondition) c).waitingCount() + ((ShmCondition) c).signalledCount() <= 1, "at most the dead waiter, or the signal that picked it, is left");
            } finally {
                c.lock().unlock();
            }
        }
    }

    /**
     * Children that a signal picked but that never run again (stopped, then killed) leave
     * signals nobody takes. They do not wake a later waiter, and the next thread to wait
     * drops them at the gate after a bounded wait instead of hanging.
     */
    @Test
    void signalsPickedForKilledWaitersDoNotHangOrWakeLaterWaiters() throws Exception {
        try (Context ctx = spawnAlike()) {
            Lock lock = ctx.lock();
            Condition c = ctx.condition(lock);
            long fallbacks = ShmCondition.gateFallbacks();
            for (int child = 1; child <= 2; child++) {
                BaseProcess p = startWaiter(ctx, c, 1);
                try {
                    Native.kill(p.pid(), SIGSTOP);
                    eventually(() -> stopped(p.pid()), "the child is stopped");
                    lock.lock();
                    try {
                        assertEquals(1, ((ShmCondition) c).wake(1), "the signal picks the child");
                        // A short wait ends at the gate, before the signal is dropped there.
                        if (child == 1) assertFalse(c.await(Duration.ofMillis(50)), "not woken by the dead waiter's signal");
                    } finally {
                        lock.unlock();
                    }
                    p.kill();
                    Children.joinOk(p, -9);
                } finally {
                    Children.reap(p);
                }
            }
            // the second child dropped the first one's signal at the gate, in its own JVM
            assertEquals(fallbacks, ShmCondition.gateFallbacks());
            Thread signaller = Thread.ofPlatform().start(() -> {
                try {
                    eventually(() -> waitingUnderLock(c) == 1, "the next waiter waits");
                    lock.lock();
                    try {
                        c.signal();
                    } finally {
                        lock.unlock();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            lock.lock();
            try {
                assertTrue(c.await(HANG), "woken by the signal given after the gate");
            } finally {
                lock.unlock();
            }
            signaller.join(HANG);
            assertEquals(fallbacks + 1, ShmCondition.gateFallbacks(), "the second dead child's signal was dropped");
            assertQuiet(c);
        }
    }

    /** A child that waits on {@code c} for ever; returns once {@code waiters} are counted. */
    private static BaseProcess startWaiter(Context ctx, Condition c, int waiters) throws InterruptedException {
        BaseProcess p = ctx.process((Condition cond) -> {
            cond.lock().lock();
            try {
                cond.await();
            } finally {
                cond.lock().unlock();
            }
        }, c);
        p.setDaemon(true);
        Children.start(p);
        eventually(() -> waitingUnderLock(c) == waiters, "the child waits");
        return p;
    }

    private static boolean stopped(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("T");
        } catch (IOException e) {
            return false;
        }
    }
}
