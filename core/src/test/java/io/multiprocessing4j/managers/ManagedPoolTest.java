package io.multiprocessing4j.managers;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.internal.managers.Addresses;
import io.multiprocessing4j.pool.AsyncResult;
import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.pool.PoolIterator;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.testsupport.Await;
import io.multiprocessing4j.testsupport.Children;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static io.multiprocessing4j.testsupport.Await.HANG;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code SyncManager.pool}: a process pool in a manager's server (a spawned JVM whose workers
 * are JVMs of their own), used through its proxy: results and their order, a task's exception
 * with its stack trace, the life cycle, and a pool whose only client is killed.
 */
class ManagedPoolTest extends ManagerFixture {

    static int square(int x) { return x * x; }

    static int failOn(int x) {
        if (x == 7) throw new IllegalStateException("seven is refused");
        return x;
    }

    static long pid(Object ignored) { return ProcessHandle.current().pid(); }

    @Test
    void theCallsGiveTheirResultsInTheInputsOrder() throws Exception {
        int before = m.numberOfObjects();
        try (Pool p = m.pool(2)) {
            assertEquals(2, p.processes());
            List<Integer> in = IntStream.range(0, 50).boxed().toList();
            List<Integer> squares = in.stream().map(ManagedPoolTest::square).toList();
            assertEquals(squares, p.map(ManagedPoolTest::square, in));
            assertEquals(squares, p.map(ManagedPoolTest::square, in, 7));
            assertEquals(List.of(3, 12), p.starmap(a -> (Integer) a[0] * (Integer) a[1], List.of(new Object[]{1, 3}, new Object[]{3, 4})));
            assertEquals(42, p.apply(() -> 6 * 7));
            assertEquals(42, p.submit(() -> 6 * 7).get(HANG));

            List<Integer> ordered = new ArrayList<>();
            p.<Integer, Integer>imap(ManagedPoolTest::square, in, 3).forEachRemaining(ordered::add);
            assertEquals(squares, ordered);
            Set<Integer> unordered = new HashSet<>();
            PoolIterator<Integer> it = p.imapUnordered(ManagedPoolTest::square, in);
            while (it.hasNext()) unordered.add(it.next());
            assertEquals(new HashSet<>(squares), unordered);
            assertThrows(java.util.NoSuchElementException.class, it::next);

            AtomicReference<List<Integer>> seen = new AtomicReference<>();
            AsyncResult<List<Integer>> r = p.mapAsync(ManagedPoolTest::square, in, 0, seen::set, null);
            assertEquals(squares, r.get(HANG));
            assertEquals(squares, seen.get(), "the callback ran before the result read ready");
            assertTrue(r.ready());
            assertTrue(r.successful());
            ((BaseProxy) r).close(); // results are managed objects of their own
            ((BaseProxy) it).close();
        }
        Await.eventually(() -> {
            System.gc(); // the results of the blocking calls go when their proxies are collected
            return m.numberOfObjects() <= before; // fewer when another test's proxies were collected meanwhile
        }, "the pool and its results freed");
    }

    @Test
    void aTasksExceptionArrivesWithItsStackTraceAndThePoolGoesOn() throws Exception {
        try (Pool p = m.pool(2)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> p.apply(() -> failOn(7)));
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertEquals("seven is refused", e.getCause().getMessage());
            assertTrue(Arrays.stream(e.getCause().getStackTrace()).anyMatch(f -> f.getMethodName().equals("failOn")),
                    "the worker's stack trace: " + Arrays.toString(e.getCause().getStackTrace()));
            assertThrows(ExecutionException.class, () -> p.map(ManagedPoolTest::failOn, List.of(1, 7, 9)));

            CountDownLatch failed = new CountDownLatch(1);
            AsyncResult<Integer> r = p.applyAsync(() -> failOn(7), v -> fail("no value"), t -> failed.countDown());
            assertTrue(failed.await(HANG.toSeconds(), java.util.concurrent.TimeUnit.SECONDS), "the error callback ran");
            assertTrue(r.await(HANG));
            assertFalse(r.successful());

            PoolIterator<Integer> it = p.imap(ManagedPoolTest::failOn, List.of(6, 7, 8));
            assertEquals(6, it.next());
            assertInstanceOf(IllegalStateException.class, assertThrows(CompletionException.class, it::next).getCause());
            assertEquals(8, it.next(HANG), "the iteration goes on after the failed task");
            assertEquals(3, p.apply(() -> 3), "the pool goes on");
        }
    }

    @Test
    void closeJoinAndTerminateEndTheWorkersAndCancelWhatIsPending() throws Exception {
        Pool p = m.pool(2);
        List<Long> workers = p.map(ManagedPoolTest::pid, IntStream.range(0, 8).boxed().toList(), 1);
        assertThrows(IllegalStateException.class, p::join, "join before shutdown");
        AsyncResult<Integer> queued = p.applyAsync(() -> {
            Thread.sleep(300);
            return 1;
        });
        p.shutdown();
        assertTrue(p.isShutdown());
        assertThrows(RejectedExecutionException.class, () -> p.apply(() -> 2));
        p.join();
        assertTrue(p.isTerminated());
        assertEquals(1, queued.get(), "shutdown lets queued work finish");
        for (long w : new HashSet<>(workers)) assertTrue(Await.until(() -> ProcessHandle.of(w).map(h -> !h.isAlive()).orElse(true), HANG), "worker " + w + " ended");
        p.close();

        Pool q = m.pool(1);
        AsyncResult<Integer> slow = q.applyAsync(() -> {
            Thread.sleep(Long.MAX_VALUE);
            return 0;
        });
        AsyncResult<Integer> pending = q.applyAsync(() -> 1);
        assertThrows(TimeoutException.class, () -> slow.get(Duration.ofMillis(200)));
        q.terminate();
        assertThrows(CancellationException.class, slow::get);
        assertThrows(CancellationException.class, () -> pending.get(HANG));
        q.join();
        q.close();
    }

    @Test
    void aThreadManagersPoolIsAThreadPoolInThisJvm() throws Exception {
        try (Context threads = Multiprocessing.getContext("thread"); SyncManager tm = threads.manager(); Pool p = tm.pool(2)) {
            long me = ProcessHandle.current().pid();
            assertEquals(List.of(me, me, me), p.map(ManagedPoolTest::pid, List.of(1, 2, 3)));
            assertEquals(List.of(0, 1, 4), p.map(ManagedPoolTest::square, List.of(0, 1, 2)));
        }
    }

    /** A child of the test: connects to the manager, makes a pool whose task reports its worker's pid, then waits to be killed. */
    static void poolOwner(String address, Queue<Long> pids) throws Exception {
        SyncManager cm = Multiprocessing.syncManager(Addresses.parse(address), null).connect();
        Pool p = cm.pool(1);
        p.applyAsync(() -> {
            pids.put(ProcessHandle.current().pid());
            Thread.sleep(Long.MAX_VALUE);
            return 0;
        });
        Thread.sleep(Long.MAX_VALUE);
    }

    @Test
    void aPoolWhoseOnlyClientIsKilledIsTerminatedAndItsWorkerEnds() throws Exception {
        Queue<Long> pids = m.queue();
        int before = m.numberOfObjects();
        BaseProcess c = ctx.process(a -> poolOwner((String) a[0], cast(a[1])), m.address(), pids);
        c.setDaemon(true);
        Children.start(c);
        try {
            long worker = pids.get(true, HANG);
            assertTrue(ProcessHandle.of(worker).map(ProcessHandle::isAlive).orElse(false));
            c.kill();
            Children.joinCode(c);
            assertTrue(Await.until(() -> ProcessHandle.of(worker).map(h -> !h.isAlive()).orElse(true), HANG), "the pool's worker ended");
            Await.eventually(() -> m.numberOfObjects() <= before, "the dead client's pool and result freed");
        } finally {
            Children.reap(c);
        }
    }

    @SuppressWarnings("unchecked")
    static <T> T cast(Object o) { return (T) o; }
}
