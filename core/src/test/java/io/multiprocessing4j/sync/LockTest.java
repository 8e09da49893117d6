package io.multiprocessing4j.sync;

import io.multiprocessing4j.Multiprocessing;

import io.multiprocessing4j.internal.sync.AsymmetricFence;
import io.multiprocessing4j.internal.sync.Futex;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.function.ProcessTarget;
import io.multiprocessing4j.function.SerializableBiConsumer;
import io.multiprocessing4j.internal.os.Native;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.shm.Handle;
import io.multiprocessing4j.shm.Segment;
import io.multiprocessing4j.testsupport.Await;
import io.multiprocessing4j.testsupport.Jvm;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.multiprocessing4j.testsupport.Await.HANG;
import static io.multiprocessing4j.testsupport.Children.joinOk;
import static io.multiprocessing4j.testsupport.Children.spawnAlike;
import static org.junit.jupiter.api.Assertions.*;

class LockTest {

    /** The suite runs twice (see core/pom.xml): make sure each run waits and releases the way it says. */
    @Test
    void theWaitingPathIsTheOneAskedFor() {
        assertEquals(!"false".equals(System.getProperty("mp4j.futex")), Futex.isNative());
        boolean light = !"false".equals(System.getProperty("mp4j.membarrier")) && Native.registerForGlobalBarrier();
        assertEquals(light, AsymmetricFence.lightRelease());
    }

    @Test
    void releasingAnUnlockedLockIsAnError() {
        try (Context ctx = spawnAlike()) {
            Lock lock = ctx.lock();
            IllegalStateException e = assertThrows(IllegalStateException.class, lock::release);
            assertEquals("semaphore or lock released too many times", e.getMessage());
            lock.lock();
            lock.unlock();
            assertThrows(IllegalStateException.class, lock::unlock);
        }
    }

    @Test
    void nonBlockingAndTimedAcquireFailWhileHeld() throws Exception {
        try (Context ctx = spawnAlike()) {
            Lock lock = ctx.lock();
            assertFalse(lock.locked());
            assertTrue(lock.acquire(false, null));
            assertTrue(lock.locked());
            assertTrue(lock.isHeldByCurrentThread());
            // not recursive: the holder itself cannot take it again
            assertFalse(lock.acquire(false, Duration.ofSeconds(5)), "block=false ignores the timeout");
            assertFalse(lock.acquire(true, Duration.ofMillis(30)));
            assertFalse(lock.tryLock());
            assertFalse(lock.tryLock(10, TimeUnit.MILLISECONDS));
            assertFalse(lock.ownerDied());
            lock.release();
            assertFalse(lock.locked());
        }
    }

    @Test
    void anyThreadMayRelease() throws Exception {
        try (Context ctx = spawnAlike()) {
            Lock lock = ctx.lock();
            lock.acquire();
            Thread other = Thread.ofPlatform().start(lock::release);
            other.join();
            assertFalse(lock.locked());
            assertThrows(IllegalStateException.class, lock::release);
            assertTrue(lock.acquire(false, null), "free again for the thread that took it first");
            other = Thread.ofPlatform().start(lock::release);
            other.join();
            assertFalse(lock.locked());
        }
    }

    @Test
    void aWaiterIsInterruptible() throws Exception {
        try (Context ctx = spawnAlike()) {
            Lock lock = ctx.lock();
            lock.acquire();
            AtomicBoolean interrupted = new AtomicBoolean();
            Thread waiter = Thread.ofPlatform().start(() -> {
                try {
                    lock.acquire();
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
            });
            Thread.sleep(50);
            waiter.interrupt();
            waiter.join(HANG);
            assertTrue(interrupted.get());
            assertTrue(lock.locked(), "an interrupted waiter does not take or free the lock");
            lock.release();
        }
    }

    @Test
    void lockIgnoresInterruptsButKeepsTheStatus() throws Exception {
        try (Context ctx = spawnAlike()) {
            Lock lock = ctx.lock();
            lock.acquire();
            AtomicBoolean statusKept = new AtomicBoolean();
            Thread waiter = Thread.ofPlatform().start(() -> {
                lock.lock();
                statusKept.set(Thread.currentThread().isInterrupted());
                lock.unlock();
            });
            Thread.sleep(50);
            waiter.interrupt();
            Thread.sleep(50);
            lock.release();
            waiter.join(HANG);
            assertTrue(statusKept.get());
        }
    }

    @Test
    void virtualThreadsWaitToo() throws Exception {
        try (Context ctx = spawnAlike()) {
            Lock lock = ctx.lock();
            lock.acquire();
            AtomicBoolean got = new AtomicBoolean();
            Thread v = Thread.ofVirtual().start(() -> {
                lock.lock();
                got.set(true);
                lock.unlock();
            });
            Thread.sleep(30);
            assertFalse(got.get());
            lock.release();
            v.join(HANG);
            assertTrue(got.get());
        }
    }

    @Test
    void threadsExcludeEachOther() throws Exception {
        try (Context ctx = spawnAlike(); Segment seg = ctx.createSegment(64)) {
            Lock lock = ctx.lock();
            MemorySegment m = seg.memory();
            int n = 20_000;
            Callable<Void> inc = () -> {
                for (int i = 0; i < n; i++) {
                    lock.lock();
                    try {
                        m.set(ValueLayout.JAVA_LONG, 0, m.get(ValueLayout.JAVA_LONG, 0) + 1); // not atomic on purpose
                    } finally {
                        lock.unlock();
                    }
                }
                return null;
            };
            try (var virtual = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                var v = virtual.submit(inc); // a virtual thread contends with platform ones
                Await.concurrently(List.of(inc, inc, inc));
                v.get();
            }
            assertEquals(4L * n, m.get(ValueLayout.JAVA_LONG, 0));
        }
    }

    /** The holder's own release skips reading the lock word back: it must still see a release made elsewhere. */
    @Test
    void releasingALockThatAnotherProcessReleasedIsAnError() throws Exception {
        try (Context ctx = spawnAlike()) {
            Lock lock = ctx.lock();
            lock.acquire();
            BaseProcess p = ctx.process((Lock l) -> l.release(), lock);
            p.start();
            joinOk(p);
            assertFalse(lock.locked());
            IllegalStateException e = assertThrows(IllegalStateException.class, lock::release);
            assertEquals("semaphore or lock released too many times", e.getMessage());
        }
    }

    /**
     * Two JVMs that never spin, so that each goes to sleep whenever the other holds the lock,
     * take it in turns: every release must wake the sleeper. No sleep of theirs may last its
     * whole slice with the lock word already changed (a wake-up missed, which the waiters'
     * fence of {@link AsymmetricFence} exists to prevent).
     */
    @Test
    void sleepersAreWokenByEveryRelease() throws Exception {
        try (Context ctx = spawnAlike().withSystemProperty("mp4j.spinNanos", "0"); Segment seg = ctx.createSegment(64)) {
            Lock lock = ctx.lock();
            int n = 10_000;
            SerializableBiConsumer<Lock, String> work = (l, name) -> {
                incrementUnder(l, name, n);
                if (Futex.missedWakeups() != 0) throw new AssertionError(Futex.missedWakeups() + " wake-ups missed");
            };
            BaseProcess a = ctx.process(work, lock, seg.name());
            BaseProcess b = ctx.process(work, lock, seg.name());
            a.start();
            b.start();
            joinOk(a);
            joinOk(b);
            assertEquals(2L * n, seg.memory().get(ValueLayout.JAVA_LONG, 0));
        }
    }

    /** Two child JVMs increment a plain counter under a lock passed as an argument. */
    @Test
    void processesExcludeEachOther() throws Exception {
        try (Context ctx = spawnAlike(); Segment seg = ctx.createSegment(64)) {
            Lock lock = ctx.lock();
            int n = 20_000;
            SerializableBiConsumer<Lock, String> work = (l, name) -> incrementUnder(l, name, n);
            BaseProcess a = ctx.process(work, lock, seg.name());
            BaseProcess b = ctx.process(work, lock, seg.name());
            a.start();
            b.start();
            incrementUnder(lock, seg.name(), n);
            joinOk(a);
            joinOk(b);
            assertEquals(3L * n, seg.memory().get(ValueLayout.JAVA_LONG, 0));
        }
    }

    static void incrementUnder(Lock l, String segment, int n) throws IOException {
        try (Segment s = Segment.attach(segment)) {
            MemorySegment m = s.memory();
            for (int i = 0; i < n; i++) {
                l.lock();
                try {
                    m.set(ValueLayout.JAVA_LONG, 0, m.get(ValueLayout.JAVA_LONG, 0) + 1);
                } finally {
                    l.unlock();
                }
            }
        }
    }

    /**
     * The first thread to take a Lock becomes its bias owner (where plain-store releases are
     * on) and takes it without an atomic instruction. Another process that wants the lock
     * revokes the bias, sees the owner's hold, waits for its release, and from then on both
     * use the state word.
     */
    @Test
    void anotherProcessWaitsForTheBiasOwnersRelease() throws Exception {
        try (Context ctx = spawnAlike()) {
            Lock lock = ctx.lock();
            Event tried = ctx.event();
            lock.acquire();
            lock.release();
            lock.acquire();
            SerializableBiConsumer<Lock, Event> other = (l, e) -> {
                if (!l.locked() || l.isHeldByCurrentThread()) throw new AssertionError("held by the parent: " + l);
                if (l.acquire(true, Duration.ofMillis(200))) throw new AssertionError("taken while the parent holds it");
                e.set();
                if (!l.acquire(true, HANG)) throw new AssertionError("the parent's release was missed");
                if (!l.isHeldByCurrentThread() || l.ownerDied()) throw new AssertionError("not an ordinary hold: " + l);
                l.release();
            };
            BaseProcess p = ctx.process(other, lock, tried);
            p.start();
            assertTrue(tried.await(HANG));
            assertTrue(lock.isHeldByCurrentThread());
            assertTrue(lock.locked());
            lock.release();
            joinOk(p);
            assertFalse(lock.locked());
            assertTrue(lock.acquire(false, null), "the former bias owner takes it the ordinary way");
            assertTrue(lock.isHeldByCurrentThread());
            lock.release();
            assertThrows(IllegalStateException.class, lock::release);
        }
    }

    /**
     * Fresh locks, each biased to one thread, contended from the first moment by another
     * process and by another thread: while the bias is revoked the two sides must still
     * exclude each other on every lock.
     */
    @Test
    void revokingTheBiasUnderContentionKeepsExclusion() throws Exception {
        int locks = 32, n = 2_000;
        try (Context ctx = spawnAlike(); Segment seg = ctx.createSegment(8L * locks)) {
            ArrayList<Lock> all = new ArrayList<>();
            for (int k = 0; k < locks; k++) all.add(ctx.lock());
            Event ready = ctx.event(), go = ctx.event();
            ProcessTarget hammer = args -> {
                ((Event) args[2]).set();
                incrementEach((List<?>) args[0], (String) args[1], (Event) args[3], n);
            };
            BaseProcess p = ctx.process(hammer, all, seg.name(), ready, go);
            p.start();
            Callable<Void> here = () -> incrementEach(all, seg.name(), go, n);
            Callable<Void> owner = () -> {
                for (Lock l : all) { // each biased to this thread, which then contends from the start
                    l.acquire();
                    l.release();
                }
                if (!ready.await(HANG)) throw new AssertionError("the child did not start");
                go.set();
                return incrementEach(all, seg.name(), go, n);
            };
            Await.concurrently(List.of(here, owner));
            joinOk(p);
            for (int k = 0; k < locks; k++) assertEquals(3L * n, seg.memory().get(ValueLayout.JAVA_LONG, 8L * k), "lock " + k);
        }
    }

    /** Waits for {@code go}, then takes each lock in turn {@code n} times, adding 1 to its own counter in {@code segment}. */
    private static Void incrementEach(List<?> locks, String segment, Event go, int n) throws Exception {
        if (!go.await(HANG)) throw new AssertionError("no start");
        try (Segment s = Segment.attach(segment)) {
            MemorySegment m = s.memory();
            for (int k = 0; k < locks.size(); k++) {
                Lock l = (Lock) locks.get(k);
                for (int i = 0; i < n; i++) {
                    l.lock();
                    try {
                        m.set(ValueLayout.JAVA_LONG, 8L * k, m.get(ValueLayout.JAVA_LONG, 8L * k) + 1);
                    } finally {
                        l.unlock();
                    }
                }
            }
        }
        return null;
    }

    /** A JVM the library did not start attaches the lock by its handle's text and releases it. */
    @Test
    void anUnrelatedJvmAttachesByHandle() throws Exception {
        try (Context ctx = spawnAlike()) {
            Lock lock = ctx.lock();
            lock.acquire();
            try (Jvm p = Jvm.start(Unrelated.class, "release-lock", Multiprocessing.handle(lock).token())) {
                int code = p.awaitExit(HANG);
                assertEquals(0, code, "exit code; stderr:\n" + p.stderr());
            }
            assertFalse(lock.locked(), "released by the other JVM");
        }
    }

    @Test
    void attachChecksTheKind() {
        try (Context ctx = spawnAlike()) {
            Handle h = Multiprocessing.handle(ctx.rlock());
            assertThrows(IllegalArgumentException.class, () -> Multiprocessing.attach(h, Lock.class));
            assertThrows(IllegalArgumentException.class, () -> Handle.parse("no handle here"));
            assertEquals(h, Handle.parse(h.token()));
        }
    }

    @Test
    void newConditionPointsToTheContext() {
        try (Context ctx = spawnAlike()) {
            assertThrows(UnsupportedOperationException.class, () -> ctx.lock().newCondition());
        }
    }

    @Test
    void toStringNamesTheHolder() throws Exception {
        try (Context ctx = spawnAlike()) {
            Lock lock = ctx.lock();
            assertEquals("Lock(owner=None)", lock.toString());
            lock.acquire();
            assertEquals("Lock(owner=this thread)", lock.toString());
            lock.release();
        }
    }
}
