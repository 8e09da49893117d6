package io.multiprocessing4j.sync;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.function.SerializableBiConsumer;
import io.multiprocessing4j.internal.os.ProcessIdentity;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.shm.Segment;
import io.multiprocessing4j.testsupport.Children;
import io.multiprocessing4j.testsupport.Jvm;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.multiprocessing4j.testsupport.Await.HANG;
import static io.multiprocessing4j.testsupport.Children.spawnAlike;
import static org.junit.jupiter.api.Assertions.*;

/** Python's waiters hang for ever when a holder is killed; ours take over or time out. */
class OwnerDeathTest {

    /** The child takes the lock, says so, and sleeps until killed. */
    static BaseProcess holder(Context ctx, Lock lock, Event held) {
        SerializableBiConsumer<Lock, Event> hold = (l, e) -> {
            l.acquire();
            e.set();
            Thread.sleep(Long.MAX_VALUE);
        };
        BaseProcess p = ctx.process(hold, lock, held);
        p.setDaemon(true); // if a test fails before killing it, it ends with the context instead of keeping the test JVM (and Maven) waiting
        return p;
    }

    @Test
    void aKilledHoldersLockIsTakenOverAndTheNewHolderIsTold() throws Exception {
        try (Context ctx = spawnAlike()) {
            Lock lock = ctx.lock();
            Event held = ctx.event();
            BaseProcess p = holder(ctx, lock, held);
            p.start();
            assertTrue(held.await(HANG));
            p.kill();
            Children.joinOk(p, -9);
            assertTrue(lock.locked(), "nobody released it");

            assertTrue(lock.acquire(true, HANG), "taken over instead of hanging");
            assertTrue(lock.ownerDied(), "told once, while held");
            lock.release();
            assertFalse(lock.ownerDied());
            assertTrue(lock.acquire(false, null));
            assertFalse(lock.ownerDied(), "an ordinary acquisition afterwards");
            lock.release();
        }
    }

    /**
     * The holder field keeps the low bits of the holder's process start time, so that a pid
     * reused by another process after the holder died does not pass for the holder: a lock
     * whose recorded holder has the pid of a live process that started at another time is
     * taken over; one whose pid and start time match a live process is not. Both for a
     * holder that took the lock with the state word and for one that holds it through its bias.
     */
    @Test
    void aLiveProcessThatReusedTheHoldersPidDoesNotPassForIt() throws Exception {
        Process other = new ProcessBuilder("sleep", "600").start();
        try (Context ctx = spawnAlike()) {
            long start = ProcessIdentity.of(other.pid()).startTime();
            for (boolean biased : new boolean[] {false, true}) {
                Lock alive = ctx.lock(), reused = ctx.lock();
                fakeHolder(alive, other.pid(), start, biased);
                fakeHolder(reused, other.pid(), start + 1, biased);
                assertFalse(alive.acquire(true, Duration.ofSeconds(1)), "its holder runs: no take-over");
                assertTrue(alive.locked());
                assertTrue(reused.acquire(true, HANG), "a pid whose start time differs is not the holder's process");
                assertTrue(reused.ownerDied());
                reused.release();
                assertFalse(reused.locked());
                assertTrue(reused.acquire(false, null), "an ordinary lock after the take-over");
                assertFalse(reused.ownerDied());
                reused.release();
            }
        } finally {
            other.destroyForcibly();
            other.waitFor();
        }
    }

    /**
     * Writes a holder into {@code lock} as an acquisition by thread 1 of process ({@code pid},
     * {@code start}) would: through the lock's bias, or through the state word of a lock whose
     * bias was revoked (the layout is Mutex's).
     */
    private static void fakeHolder(Lock lock, long pid, long start, boolean biased) throws IOException {
        try (Segment s = Segment.attach(Multiprocessing.handle(lock).segment())) {
            MemorySegment m = s.memory();
            long at = Multiprocessing.handle(lock).offset(), startBits = (start & ((1L << 23) - 1)) << 1;
            if (biased) {
                m.set(ValueLayout.JAVA_INT, at + 16, (int) startBits | 1);
                m.set(ValueLayout.JAVA_INT, at + 20, 1);
                m.set(ValueLayout.JAVA_LONG, at + 24, pid << 32 | 1);
            } else {
                m.set(ValueLayout.JAVA_INT, at, (int) pid);
                m.set(ValueLayout.JAVA_LONG, at + 8, 1L << 24 | startBits);
                m.set(ValueLayout.JAVA_LONG, at + 24, -1L);
            }
        }
    }

    /** A thread already waiting when the holder (an unrelated JVM, RLock at depth 2) dies takes the lock over at depth 1. */
    @Test
    void aWaitingThreadTakesOverAnRLockFromAKilledJvm() throws Exception {
        try (Context ctx = spawnAlike()) {
            RLock lock = ctx.rlock();
            try (Jvm other = Jvm.start(Unrelated.class, "hold-rlock-and-hang", Multiprocessing.handle(lock).token())) {
                other.awaitLine("held", HANG);
                AtomicReference<String> seen = new AtomicReference<>();
                Thread waiter = Thread.ofPlatform().start(() -> {
                    try {
                        lock.acquire();
                        seen.set(lock.ownerDied() + " " + lock.getHoldCount());
                        lock.release();
                    } catch (InterruptedException e) {
                        seen.set("interrupted");
                    }
                });
                Thread.sleep(100);
                assertNull(seen.get(), "waits while the holder lives");
                other.sigkill();
                waiter.join(HANG);
                assertEquals("true 1", seen.get());
                assertFalse(lock.locked());
            }
        }
    }

    /**
     * The signaller takes the condition's lock and is killed: the waiter's timeout still ends its
     * wait, with the lock recovered. The holder can take the lock only while the waiter is in a
     * timed wait, and a fresh child JVM may start after one timeout has passed: the waiter waits
     * again until the holder has held the lock, so the test does not depend on how fast a child starts.
     */
    @Test
    void aConditionWaiterWithATimeoutSurvivesAKilledSignaller() throws Exception {
        try (Context ctx = spawnAlike()) {
            Lock lock = ctx.lock();
            Condition cond = ctx.condition(lock);
            Event held = ctx.event();
            BaseProcess p = holder(ctx, lock, held);
            Thread killer = Thread.ofPlatform().start(() -> {
                try {
                    if (held.await(HANG)) p.kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            lock.acquire();
            p.start();
            boolean signalled = false;
            do {
                signalled |= cond.await(Duration.ofMillis(500));
            } while (!held.isSet());
            assertFalse(signalled, "no signal came");
            assertTrue(lock.isHeldByCurrentThread(), "the wait returns holding the lock");
            assertTrue(lock.ownerDied());
            lock.release();
            killer.join();
            Children.joinOk(p, -9);
        }
    }

    @Test
    void aBarrierWaiterWithATimeoutSurvivesAPeerThatNeverComes() throws Exception {
        try (Context ctx = spawnAlike()) {
            Barrier barrier = ctx.barrier(2);
            BaseProcess p = ctx.process((Barrier b) -> Thread.sleep(Long.MAX_VALUE), barrier);
            p.start();
            p.kill();
            Children.joinOk(p, -9);
            BrokenBarrierException e = assertThrows(BrokenBarrierException.class, () -> barrier.await(Duration.ofMillis(200)));
            assertInstanceOf(TimeoutException.class, e.getCause());
            assertTrue(barrier.isBroken());
        }
    }

    @Test
    void aSemaphoreLosesTheKilledHoldersPermitAndSaysSoInItsDocs() throws Exception {
        try (Context ctx = spawnAlike()) {
            Semaphore sem = ctx.semaphore(1);
            Event held = ctx.event();
            BaseProcess p = ctx.process((Semaphore s, Event e) -> {
                s.acquire();
                e.set();
                Thread.sleep(Long.MAX_VALUE);
            }, sem, held);
            p.start();
            assertTrue(held.await(HANG));
            p.kill();
            Children.joinOk(p, -9);
            AtomicBoolean got = new AtomicBoolean(true);
            got.set(sem.acquire(true, Duration.ofMillis(100)));
            assertFalse(got.get(), "no owner, so nothing to recover: the timeout is the caller's protection");
        }
    }
}
