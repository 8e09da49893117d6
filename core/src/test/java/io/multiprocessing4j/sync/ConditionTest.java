package io.multiprocessing4j.sync;

import io.multiprocessing4j.internal.sync.ShmCondition;


import io.multiprocessing4j.Context;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.shm.Segment;
import io.multiprocessing4j.testsupport.Children;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.multiprocessing4j.testsupport.Await.HANG;
import static io.multiprocessing4j.testsupport.Await.eventually;
import static io.multiprocessing4j.testsupport.Children.spawnAlike;
import static org.junit.jupiter.api.Assertions.*;

class ConditionTest {

    @Test
    void usingItWithoutTheLockIsAnError() throws Exception {
        try (Context ctx = spawnAlike()) {
            Condition c = ctx.condition();
            assertInstanceOf(RLock.class, c.lock(), "the default lock is an RLock");
            assertEquals("must acquire() condition before using wait()",
                    assertThrows(IllegalMonitorStateException.class, () -> c.await(Duration.ZERO)).getMessage());
            assertEquals("lock is not owned", assertThrows(IllegalMonitorStateException.class, c::signal).getMessage());
            assertThrows(IllegalMonitorStateException.class, c::signalAll);
        }
    }

    @Test
    void aTimedWaitWithoutSignalReturnsFalseHoldingTheLockAtTheSameDepth() throws Exception {
        try (Context ctx = spawnAlike()) {
            RLock lock = ctx.rlock();
            Condition c = ctx.condition(lock);
            lock.acquire();
            lock.acquire();
            assertFalse(c.await(Duration.ofMillis(20)));
            assertEquals(2, lock.getHoldCount());
            lock.release();
            lock.release();
        }
    }

    @Test
    void signalWakesAsManyAsAskedAndSignalAllTheRest() throws Exception {
        try (Context ctx = spawnAlike()) {
            Lock lock = ctx.lock();
            Condition c = ctx.condition(lock);
            AtomicInteger woken = new AtomicInteger();
            List<Thread> ts = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
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
            eventually(() -> sleepers(lock, c) == 5, "all five wait");
            lock.lock();
            c.signal(2);
            lock.unlock();
            eventually(() -> woken.get() == 2, "two woke");
            Thread.sleep(50);
            assertEquals(2, woken.get(), "signal(2) wakes two, not more");
            lock.lock();
            c.signalAll();
            lock.unlock();
            for (Thread t : ts) t.join(HANG);
            assertEquals(5, woken.get());
        }
    }

    /** The count of waiters no signal has picked, read under the lock. */
    private static int sleepers(Lock lock, Condition c) {
        lock.lock();
        try {
            return ((ShmCondition) c).waitingCount();
        } finally {
            lock.unlock();
        }
    }

    @Test
    void waitForReturnsThePredicatesLastValue() throws Exception {
        try (Context ctx = spawnAlike()) {
            Condition c = ctx.condition();
            c.lock().lock();
            try {
                assertFalse(c.waitFor(() -> false, Duration.ofMillis(20)));
                assertTrue(c.waitFor(() -> true, Duration.ZERO));
            } finally {
                c.lock().unlock();
            }
        }
    }

    /** A child waits with waitFor on a flag in shared memory that the parent sets and signals. */
    @Test
    void aChildWaitsForTheParentsSignal() throws Exception {
        try (Context ctx = spawnAlike(); Segment seg = ctx.createSegment(64)) {
            Condition c = ctx.condition();
            BaseProcess p = ctx.process((Condition cond, String name) -> {
                try (Segment s = Segment.attach(name)) {
                    MemorySegment m = s.memory();
                    cond.lock().lock();
                    try {
                        m.set(ValueLayout.JAVA_INT, 4, 1); // "I am waiting"
                        boolean ok = cond.waitFor(() -> m.get(ValueLayout.JAVA_INT, 0) == 42, HANG);
                        System.exit(ok ? 0 : 2);
                    } finally {
                        cond.lock().unlock();
                    }
                }
            }, c, seg.name());
            p.start();
            MemorySegment m = seg.memory();
            eventually(() -> {
                c.lock().lock();
                try {
                    return m.get(ValueLayout.JAVA_INT, 4) == 1;
                } finally {
                    c.lock().unlock();
                }
            }, "the child waits");
            c.lock().lock();
            try {
                m.set(ValueLayout.JAVA_INT, 0, 42);
                c.signalAll();
            } finally {
                c.lock().unlock();
            }
            Children.joinOk(p);
        }
    }

    @Test
    void anInterruptedWaiterThrowsAndGetsTheLockBack() throws Exception {
        try (Context ctx = spawnAlike()) {
            Condition c = ctx.condition();
            AtomicInteger outcome = new AtomicInteger();
            Thread t = Thread.ofPlatform().start(() -> {
                c.lock().lock();
                try {
                    c.await();
                    outcome.set(1);
                } catch (InterruptedException e) {
                    outcome.set(((RLock) c.lock()).getHoldCount() == 1 ? 2 : 3);
                } finally {
                    c.lock().unlock();
                }
            });
            eventually(() -> c.lock().tryLock() && unlockTrue(c.lock()) && ((ShmCondition) c).waitingCount() == 1, "the thread waits");
            t.interrupt();
            t.join(HANG);
            assertEquals(2, outcome.get());
        }
    }

    private static boolean unlockTrue(Lock l) {
        l.unlock();
        return true;
    }
}
