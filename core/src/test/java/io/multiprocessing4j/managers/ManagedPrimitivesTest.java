package io.multiprocessing4j.managers;

import io.multiprocessing4j.queues.Empty;
import io.multiprocessing4j.queues.Full;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.sync.Barrier;
import io.multiprocessing4j.sync.BoundedSemaphore;
import io.multiprocessing4j.sync.Condition;
import io.multiprocessing4j.sync.Event;
import io.multiprocessing4j.sync.Lock;
import io.multiprocessing4j.sync.RLock;
import io.multiprocessing4j.sync.Semaphore;
import io.multiprocessing4j.testsupport.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static io.multiprocessing4j.testsupport.Await.HANG;
import static org.junit.jupiter.api.Assertions.*;

/** The managed queue and primitives against their API contracts: timeouts, interrupts, errors. */
class ManagedPrimitivesTest extends ManagerFixture {
    static final Duration SHORT = Duration.ofMillis(120);

    /** Runs {@code body} on a new thread and returns it, and what it threw, once it ends. */
    static Thread background(ThrowingRunnable body, AtomicReference<Throwable> thrown) {
        return Thread.ofPlatform().start(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aLockTimesOutIsReleasedByAnyThreadAndRefusesADoubleRelease() throws Exception {
        Lock l = m.lock();
        assertTrue(l.acquire(false, null));
        assertTrue(l.locked());
        assertTrue(l.isHeldByCurrentThread());
        assertFalse(l.acquire(true, SHORT), "not reentrant");
        assertFalse(l.tryLock());
        AtomicReference<Throwable> err = new AtomicReference<>();
        Thread t = background(l::release, err); // Python's Lock has no owner
        t.join(HANG.toMillis());
        assertNull(err.get());
        assertFalse(l.locked());
        assertThrows(IllegalStateException.class, l::release);
        assertTrue(l.tryLock(1, TimeUnit.SECONDS));
        l.unlock();
        assertThrows(UnsupportedOperationException.class, l::newCondition);
    }

    @Test
    void anRLockCountsDepthAndOnlyItsHolderReleasesIt() throws Exception {
        RLock r = m.rlock();
        r.acquire();
        r.acquire();
        assertEquals(2, r.getHoldCount());
        AtomicReference<Throwable> err = new AtomicReference<>();
        Thread t = background(() -> {
            assertFalse(r.acquire(true, SHORT));
            r.release();
        }, err);
        t.join(HANG.toMillis());
        assertInstanceOf(IllegalMonitorStateException.class, err.get());
        r.release();
        assertTrue(r.locked());
        r.release();
        assertFalse(r.locked());
        assertEquals(0, r.getHoldCount());
    }

    @Test
    void anInterruptedAcquireThrowsAndLeavesNothingHeld() throws Exception {
        Lock l = m.lock();
        l.acquire();
        AtomicReference<Throwable> err = new AtomicReference<>();
        Thread t = background(l::acquire, err);
        Thread.sleep(200); // it waits on the server by now
        t.interrupt();
        t.join(HANG.toMillis());
        assertInstanceOf(InterruptedException.class, err.get());
        l.release();
        assertFalse(l.locked(), "the interrupted waiter took nothing");
        assertTrue(l.acquire(false, null));
        l.release();
    }

    @Test
    void aWaitingCallDoesNotStopOtherCalls() throws Exception {
        Event e = m.event();
        DictProxy<String, Integer> d = m.dict();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return e.await(HANG);
            } catch (InterruptedException x) {
                throw new RuntimeException(x);
            }
        });
        Thread.sleep(100);
        for (int i = 0; i < 100; i++) d.put("k" + i, i); // other calls go on meanwhile
        assertEquals(100, d.size());
        assertFalse(waiting.isDone());
        e.set();
        assertTrue(waiting.get(HANG.toSeconds(), TimeUnit.SECONDS));
        assertTrue(e.isSet());
        e.clear();
        assertFalse(e.await(SHORT));
    }

    @Test
    void semaphoresCountAndABoundedOneRefusesTooManyReleases() throws Exception {
        Semaphore s = m.semaphore(2);
        assertTrue(s.tryAcquire());
        assertTrue(s.acquire(true, null));
        assertEquals(0, s.getValue());
        assertFalse(s.tryAcquire(SHORT));
        s.release();
        assertEquals(1, s.getValue());
        BoundedSemaphore b = m.boundedSemaphore(1);
        assertThrows(IllegalStateException.class, b::release);
        b.acquire();
        b.release();
        assertThrows(IllegalArgumentException.class, () -> m.semaphore(-1));
    }

    @Test
    void aConditionTimesOutHoldingItsLockAtTheSameDepthAndIsSignalled() throws Exception {
        Condition c = m.condition();
        RLock lock = (RLock) c.lock();
        assertThrows(IllegalMonitorStateException.class, () -> c.await(SHORT));
        assertThrows(IllegalMonitorStateException.class, c::signal);
        lock.acquire();
        lock.acquire();
        assertFalse(c.await(SHORT));
        assertEquals(2, lock.getHoldCount(), "taken back at the same depth");
        lock.release();
        lock.release();

        List<Boolean> woke = new ArrayList<>();
        AtomicReference<Throwable> err = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean holding = new java.util.concurrent.atomic.AtomicBoolean();
        Thread t = background(() -> {
            lock.acquire();
            holding.set(true); // the signaller gets the lock only once this thread waits
            try {
                boolean w = c.await(HANG);
                synchronized (woke) {
                    woke.add(w && lock.isHeldByCurrentThread());
                }
            } finally {
                lock.release();
            }
        }, err);
        assertTrue(Await.until(holding::get, HANG));
        lock.acquire();
        c.signal();
        lock.release();
        t.join(HANG.toMillis());
        assertNull(err.get());
        assertEquals(List.of(true), woke);
        assertThrows(IllegalArgumentException.class, () -> m.condition(ctx.lock()), "a shared-memory lock is another backend's");
    }

    @Test
    void anInterruptedConditionWaitTakesTheLockBackAndThrows() throws Exception {
        Condition c = m.condition(m.lock());
        AtomicReference<Throwable> err = new AtomicReference<>();
        AtomicReference<Boolean> heldAfter = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean holding = new java.util.concurrent.atomic.AtomicBoolean();
        Thread t = background(() -> {
            c.lock().lock();
            holding.set(true);
            try {
                c.await();
            } finally {
                heldAfter.set(c.lock().isHeldByCurrentThread());
                c.lock().unlock();
            }
        }, err);
        assertTrue(Await.until(() -> holding.get() && !c.lock().locked(), HANG)); // it waits: the lock is free
        t.interrupt();
        t.join(HANG.toMillis());
        assertInstanceOf(InterruptedException.class, err.get());
        assertTrue(heldAfter.get());
        assertFalse(c.lock().locked());
    }

    @Test
    void queueMethodsFollowPythonAndBlockingQueue() throws Exception {
        Queue<Object> q = m.queue(2);
        assertEquals(2, q.maxsize());
        q.put(null, true, null); // Python's None
        q.putNowait("b");
        assertTrue(q.full());
        assertThrows(Full.class, () -> q.putNowait("c"));
        assertThrows(Full.class, () -> q.put("c", true, SHORT));
        assertFalse(q.offer("c"));
        assertEquals(0, q.remainingCapacity());
        assertNull(q.get());
        assertEquals("b", q.peek());
        assertEquals("b", q.getNowait());
        assertThrows(Empty.class, q::getNowait);
        assertThrows(Empty.class, () -> q.get(true, SHORT));
        assertNull(q.poll(50, TimeUnit.MILLISECONDS));
        assertThrows(NullPointerException.class, () -> q.offer(null));
        List<Object> mutable = new ArrayList<>(List.of(1, 2));
        q.put(mutable);
        @SuppressWarnings("unchecked") List<Object> got = (List<Object>) q.take();
        got.add(3); // handed over, not a frozen copy of what the server keeps
        assertEquals(List.of(1, 2, 3), got);
        q.add("x");
        List<Object> drained = new ArrayList<>();
        assertEquals(1, q.drainTo(drained));
        assertEquals(List.of("x"), drained);
        assertThrows(UnsupportedOperationException.class, q::iterator);
        q.close();
        assertTrue(q.isClosed());
        assertThrows(IllegalStateException.class, () -> q.put("y"));
        assertEquals(0, q.qsize(), "still answers on a closed view");
    }

    @Test
    void anInterruptedGetThrowsAndAnItemPutLaterStaysInTheQueue() throws Exception {
        Queue<String> q = m.queue();
        AtomicReference<Throwable> err = new AtomicReference<>();
        Thread t = background(q::take, err);
        Thread.sleep(200);
        t.interrupt();
        t.join(HANG.toMillis());
        assertInstanceOf(InterruptedException.class, err.get());
        q.put("kept");
        assertEquals(1, q.qsize());
        assertEquals("kept", q.get());
    }

    @Test
    void aBarrierTimesOutBreaksAndResets() throws Exception {
        Barrier b = m.barrier(2, null, SHORT);
        assertEquals(2, b.parties());
        BrokenBarrierException e = assertThrows(BrokenBarrierException.class, b::await); // the default timeout
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertTrue(b.isBroken());
        assertThrows(BrokenBarrierException.class, () -> b.await(SHORT));
        b.reset();
        assertFalse(b.isBroken());
        AtomicReference<Throwable> err = new AtomicReference<>();
        List<Integer> idx = new ArrayList<>();
        Thread t = background(() -> {
            int i = b.await(HANG);
            synchronized (idx) {
                idx.add(i);
            }
        }, err);
        assertTrue(Await.until(() -> b.nWaiting() == 1, HANG));
        int mine = b.await(HANG);
        t.join(HANG.toMillis());
        assertNull(err.get());
        assertEquals(1, mine, "the last to arrive gets parties - 1");
        assertEquals(List.of(0), idx);
        b.abort();
        assertTrue(b.isBroken());
    }

    static final class Boom extends RuntimeException {
        Boom() { super("boom"); }
    }

    @Test
    void aBarrierActionRunsOnTheServerAndItsExceptionReachesTheLastArrival() throws Exception {
        Barrier b = m.barrier(1, () -> { throw new Boom(); }, null);
        assertThrows(Boom.class, b::await);
        assertTrue(b.isBroken());
    }

    @Test
    void blockingCallsOverSocketsAsRemoteClientsMakeThem() throws Exception {
        System.setProperty("mp4j.manager.sockets", "true"); // read when the first session to an address opens
        SyncManager sm;
        try {
            sm = ctx.syncManager(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), "socket-key".getBytes()).start();
        } finally {
            System.clearProperty("mp4j.manager.sockets");
        }
        try (sm) {
            Lock l = sm.lock();
            l.acquire();
            AtomicReference<Throwable> err = new AtomicReference<>();
            Thread t = background(l::acquire, err);
            Thread.sleep(200);
            t.interrupt();
            t.join(HANG.toMillis());
            assertInstanceOf(InterruptedException.class, err.get());
            l.release();
            assertFalse(l.locked());

            Queue<String> q = sm.queue();
            err.set(null);
            Thread taker = background(() -> assertEquals("x", q.take()), err);
            Thread.sleep(100);
            q.put("x");
            taker.join(HANG.toMillis());
            assertNull(err.get());

            Condition c = sm.condition();
            err.set(null);
            java.util.concurrent.atomic.AtomicBoolean holding = new java.util.concurrent.atomic.AtomicBoolean();
            Thread waiter = background(() -> {
                c.lock().lock();
                holding.set(true); // from here the signaller can take the lock only once this thread waits
                try {
                    assertTrue(c.await(HANG));
                } finally {
                    c.lock().unlock();
                }
            }, err);
            assertTrue(Await.until(holding::get, HANG));
            c.lock().lock();
            c.signalAll();
            c.lock().unlock();
            waiter.join(HANG.toMillis());
            assertNull(err.get());
        }
    }
}
