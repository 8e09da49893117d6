package io.multiprocessing4j.managers;

import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.queues.JoinableQueue;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.sync.Barrier;
import io.multiprocessing4j.sync.Condition;
import io.multiprocessing4j.sync.Event;
import io.multiprocessing4j.sync.Lock;
import io.multiprocessing4j.testsupport.Await;
import io.multiprocessing4j.testsupport.Children;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.multiprocessing4j.testsupport.Await.HANG;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The shared-memory primitives' user patterns with a manager's proxies, across real child
 * JVMs: turn-taking through a condition, producers and consumers through a queue, a
 * barrier's cycles, and a child killed while it holds a managed lock.
 */
class ManagedSyncAcrossJvmsTest extends ManagerFixture {
    static final int ROUNDS = 300;

    /**
     * One of two parties: {@code ROUNDS} times waits (no timeout: a lost signal hangs the
     * test) until the turn counter names it, appends its mark, advances the counter, signals.
     */
    static void takeTurns(Condition c, DictProxy<String, Integer> turn, int me) throws InterruptedException {
        Lock lock = c.lock();
        for (int r = 0; r < ROUNDS; r++) {
            lock.lock();
            try {
                if (me == 0) {
                    while (turn.get("n") % 2 != me) c.await();
                } else {
                    while (!c.waitFor(() -> turn.get("n") % 2 == me, null)) { /* for ever */ }
                }
                turn.merge("n", 1, Integer::sum);
                c.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    @Test
    void aParentAndAChildTakeTurnsThroughAConditionForHundredsOfRounds() throws Exception {
        Condition c = m.condition();
        DictProxy<String, Integer> turn = m.dict();
        turn.put("n", 0);
        BaseProcess p = Children.start(ctx.process(a -> takeTurns((Condition) a[0], cast(a[1]), 1), c, turn));
        try {
            takeTurns(c, turn, 0);
            assertEquals(0, Children.joinCode(p));
        } finally {
            Children.reap(p);
        }
        assertEquals(2 * ROUNDS, turn.get("n"));
    }

    @SuppressWarnings("unchecked")
    static <T> T cast(Object o) { return (T) o; }

    static void produce(Queue<Integer> q, int from) throws InterruptedException {
        for (int i = from; i < from + 500; i++) q.put(i);
        q.put(-1); // this producer is done
    }

    static void consume(Queue<Integer> q, ListProxy<Integer> seen) throws InterruptedException {
        List<Integer> mine = new ArrayList<>();
        for (Integer i; (i = q.get(true, HANG)) != -1; ) mine.add(i);
        seen.extend(mine);
    }

    @Test
    void producersAndConsumersInChildrenShareABoundedManagedQueue() throws Exception {
        Queue<Integer> q = m.queue(16); // small: producers wait for room
        ListProxy<Integer> seen = m.list();
        List<BaseProcess> ps = new ArrayList<>();
        try {
            ps.add(Children.start(ctx.process(ManagedSyncAcrossJvmsTest::produce, q, 0)));
            ps.add(Children.start(ctx.process(ManagedSyncAcrossJvmsTest::produce, q, 1000)));
            ps.add(Children.start(ctx.process(ManagedSyncAcrossJvmsTest::consume, q, seen)));
            ps.add(Children.start(ctx.process(ManagedSyncAcrossJvmsTest::consume, q, seen)));
            for (BaseProcess p : ps) assertEquals(0, Children.joinCode(p));
        } finally {
            ps.forEach(Children::reap);
        }
        List<Integer> want = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            want.add(i);
            want.add(1000 + i);
        }
        assertEquals(want.stream().sorted().toList(), seen.snapshot().stream().sorted().toList());
        assertEquals(0, q.qsize());
    }

    static void work(JoinableQueue<String> q, ListProxy<String> done) throws InterruptedException {
        for (String s; !(s = q.get(true, HANG)).equals("stop"); ) {
            done.add(s.toUpperCase());
            q.taskDone();
        }
        q.taskDone();
    }

    @Test
    void aJoinableQueueIsJoinedWhenAChildHasDoneEveryTask() throws Exception {
        JoinableQueue<String> q = m.joinableQueue();
        ListProxy<String> done = m.list();
        BaseProcess p = Children.start(ctx.process(ManagedSyncAcrossJvmsTest::work, q, done));
        try {
            for (String s : List.of("a", "b", "c")) q.put(s);
            assertTrue(q.join(HANG));
            assertEquals(List.of("A", "B", "C"), done);
            q.put("stop");
            assertEquals(0, Children.joinCode(p));
            assertEquals(0, q.unfinishedTasks());
        } finally {
            Children.reap(p);
        }
    }

    static void cycles(Barrier b, ListProxy<Integer> indices) throws Exception {
        for (int i = 0; i < 50; i++) indices.add(b.await(HANG));
    }

    @Test
    void aBarrierCyclesFiftyTimesAcrossThreeJvmsAndRunsItsActionOncePerCycle() throws Exception {
        ListProxy<Integer> indices = m.list();
        Barrier b = m.barrier(3, null, null);
        List<BaseProcess> ps = new ArrayList<>();
        try {
            ps.add(Children.start(ctx.process(ManagedSyncAcrossJvmsTest::cycles, b, indices)));
            ps.add(Children.start(ctx.process(ManagedSyncAcrossJvmsTest::cycles, b, indices)));
            cycles(b, indices);
            for (BaseProcess p : ps) assertEquals(0, Children.joinCode(p));
        } finally {
            ps.forEach(Children::reap);
        }
        List<Integer> got = indices.snapshot();
        assertEquals(150, got.size());
        for (int i = 0; i < 3; i++) {
            int index = i;
            assertEquals(50, got.stream().filter(x -> x == index).count(), "each index once per cycle");
        }
        assertFalse(b.isBroken());
    }

    static void holdForever(Lock lock, Event held) throws InterruptedException {
        lock.acquire();
        held.set();
        Thread.sleep(Long.MAX_VALUE);
    }

    @Test
    void aChildKilledHoldingAManagedLockLetsGoAndTheNextHolderIsTold() throws Exception {
        Lock lock = m.lock();
        Event held = m.event();
        BaseProcess p = ctx.process(ManagedSyncAcrossJvmsTest::holdForever, lock, held);
        p.setDaemon(true);
        Children.start(p);
        try {
            assertTrue(held.await(HANG));
            assertTrue(lock.locked());
            assertFalse(lock.acquire(true, Duration.ofMillis(100)), "held by the live child");
            p.kill();
            Children.joinCode(p);
            assertTrue(lock.acquire(true, HANG), "released when the child's connection ended");
            assertTrue(lock.ownerDied(), "the next holder is told");
            lock.release();
            assertFalse(lock.ownerDied());
            assertTrue(lock.acquire(false, null));
            assertFalse(lock.ownerDied(), "an ordinary acquisition afterwards");
            lock.release();
        } finally {
            Children.reap(p);
        }
    }

    static void waitAndDie(Condition c, Event waiting) throws InterruptedException {
        c.lock().lock();
        waiting.set();
        c.await(); // killed here: its wait and its claim on the lock must go with it
    }

    @Test
    void aChildKilledWhileWaitingOnAConditionLeavesTheLockFree() throws Exception {
        Condition c = m.condition(m.lock());
        Event waiting = m.event();
        BaseProcess p = ctx.process(ManagedSyncAcrossJvmsTest::waitAndDie, c, waiting);
        p.setDaemon(true);
        Children.start(p);
        try {
            assertTrue(waiting.await(HANG));
            c.lock().lock(); // the child's wait released it (no signal: it would take the lock back)
            c.lock().unlock();
            p.kill();
            Children.joinCode(p);
            assertTrue(c.lock().acquire(true, HANG));
            assertFalse(c.lock().ownerDied(), "the child held nothing when it died");
            c.lock().release();
        } finally {
            Children.reap(p);
        }
    }

    static void consumeForever(Queue<Integer> q, ListProxy<Integer> seen) throws InterruptedException {
        for (;;) seen.add(q.get());
    }

    @Test
    void aConsumerKilledMidGetLosesAtMostTheItemInFlightAndNoItemIsDoubled() throws Exception {
        Queue<Integer> q = m.queue();
        ListProxy<Integer> seen = m.list();
        int n = 200;
        BaseProcess p = ctx.process(a -> consumeForever(cast(a[0]), cast(a[1])), q, seen);
        p.setDaemon(true);
        Children.start(p);
        Thread producer = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    q.put(i);
                    Thread.sleep(2); // the consumer is mostly waiting in get when it is killed
                }
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        try {
            Await.eventually(() -> seen.size() >= n / 4, "the consumer took a quarter");
            p.kill();
            Children.joinCode(p);
            producer.join();
        } finally {
            Children.reap(p);
        }
        List<Integer> left = new ArrayList<>();
        for (Integer x; (x = q.poll()) != null; ) left.add(x);
        List<Integer> all = new ArrayList<>(seen);
        all.addAll(left);
        assertEquals(all.size(), new java.util.HashSet<>(all).size(), "no item twice: " + all);
        assertTrue(n - all.size() <= 1, "at most the one item in flight lost: " + (n - all.size()));
        q.put(-1);
        assertEquals(-1, q.get(true, HANG), "the queue goes on");
    }

    static void arriveAndWait(Barrier b) throws Exception { b.await(); }

    @Test
    void aPartyKilledAfterArrivingBreaksTheBarrierInsteadOfHangingTheOthers() throws Exception {
        Barrier b = m.barrier(3);
        BaseProcess p = ctx.process(ManagedSyncAcrossJvmsTest::arriveAndWait, b);
        p.setDaemon(true);
        Children.start(p);
        try {
            Await.eventually(() -> b.nWaiting() == 1, "the child arrived");
            var mine = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return b.await(HANG);
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            Await.eventually(() -> b.nWaiting() == 2, "a parent thread arrived");
            p.kill();
            Children.joinCode(p);
            var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> mine.get(HANG.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
            assertInstanceOf(java.util.concurrent.BrokenBarrierException.class, e.getCause()); // the future unwraps its CompletionException
            assertNull(e.getCause().getCause(), "broken by the death, not by the timeout");
            assertTrue(b.isBroken());
            assertThrows(java.util.concurrent.BrokenBarrierException.class, () -> b.await(HANG), "broken until reset, as a local barrier");
            b.reset();
            assertFalse(b.isBroken());
            assertEquals(0, b.nWaiting());
        } finally {
            Children.reap(p);
        }
    }
}
