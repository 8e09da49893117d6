package io.multiprocessing4j.pool;

import io.multiprocessing4j.internal.pool.ShmPool;
import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.testsupport.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The calls of a pool, on worker processes (spawn) and on threads: results and their order,
 * chunk sizes, callbacks, the iterators, the ExecutorService methods. One pool of each kind
 * serves the whole class (starting JVMs is the slow part); failures and the life cycle are
 * in {@link PoolFailureTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PoolTest {
    static final Duration GUARD = Await.HANG;
    private final Map<String, Context> contexts = new java.util.HashMap<>();
    private final Map<String, Pool> pools = new java.util.HashMap<>();

    @BeforeAll
    void start() {
        for (String m : List.of("spawn", "thread")) {
            Context ctx = Multiprocessing.getContext(m);
            contexts.put(m, ctx);
            pools.put(m, ctx.pool(2));
        }
    }

    @AfterAll
    void stop() throws InterruptedException {
        for (Pool p : pools.values()) {
            p.shutdown();
            assertTrue(p.awaitTermination(GUARD.toSeconds(), TimeUnit.SECONDS));
        }
        contexts.values().forEach(Context::close);
    }

    static List<Integer> range(int n) { return IntStream.range(0, n).boxed().toList(); }

    static int square(int x) { return x * x; }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "thread"})
    void mapKeepsTheInputOrderForEveryChunkSize(String method) throws Exception {
        Pool pool = pools.get(method);
        List<Integer> want = range(103).stream().map(PoolTest::square).toList();
        assertEquals(want, pool.map(PoolTest::square, range(103)));
        for (int chunk : new int[] {1, 7, 103, 500}) assertEquals(want, pool.map(PoolTest::square, range(103), chunk), "chunksize " + chunk);
        assertEquals(List.of(), pool.map(PoolTest::square, List.of()));
        Iterable<Integer> notACollection = () -> range(10).iterator();
        assertEquals(want.subList(0, 10), pool.map(PoolTest::square, notACollection));
        assertThrows(IllegalArgumentException.class, () -> pool.map(PoolTest::square, range(3), -1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "thread"})
    void nullsAndOtherValuesTravel(String method) throws Exception {
        Pool pool = pools.get(method);
        List<Object> in = new ArrayList<>(List.of("a", 2L, 3.5, List.of(1, 2), new int[] {4, 5}));
        in.add(null);
        List<Object> out = pool.map(x -> x instanceof int[] a ? a.length : x, in, 2);
        assertEquals(Arrays.asList("a", 2L, 3.5, List.of(1, 2), 2, null), out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "thread"})
    void starmapSpreadsEachArgumentArray(String method) throws Exception {
        Pool pool = pools.get(method);
        List<Object[]> args = List.of(new Object[] {2, 3}, new Object[] {4, 5}, new Object[] {"x", 3});
        assertEquals(List.of("2*3", "4*5", "x*3"), pool.starmap(a -> a[0] + "*" + a[1], args));
        assertEquals(List.of(6, 20), pool.starmap(a -> (Integer) a[0] * (Integer) a[1], args.subList(0, 2), 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "thread"})
    void applyRunsInAWorker(String method) throws Exception {
        Pool pool = pools.get(method);
        long here = ProcessHandle.current().pid();
        long there = pool.apply(() -> ProcessHandle.current().pid());
        if (method.equals("thread")) assertEquals(here, there);
        else assertNotEquals(here, there);
        int base = 40;
        assertEquals(42, pool.apply(() -> base + 2), "a captured value travels");
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "thread"})
    void asyncResultsRunTheirCallbacksBeforeTheyAreReady(String method) throws Exception {
        Pool pool = pools.get(method);
        List<Object> seen = new CopyOnWriteArrayList<>();
        AsyncResult<Integer> ok = pool.applyAsync(() -> 7, seen::add, seen::add);
        assertEquals(7, ok.get(GUARD));
        assertTrue(ok.ready());
        assertTrue(ok.successful());
        assertEquals(List.of(7), seen, "the callback ran before get returned");
        seen.clear();
        AsyncResult<Integer> bad = pool.applyAsync(() -> { throw new ArithmeticException("nope"); }, seen::add, seen::add);
        ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(GUARD));
        assertInstanceOf(ArithmeticException.class, e.getCause());
        assertEquals("nope", e.getCause().getMessage());
        assertFalse(bad.successful());
        assertEquals(1, seen.size());
        assertSame(ArithmeticException.class, seen.get(0).getClass(), "the error callback got the exception");
        seen.clear();
        AsyncResult<List<Integer>> m = pool.mapAsync(PoolTest::square, range(10), 3, seen::add, seen::add);
        assertEquals(range(10).stream().map(PoolTest::square).toList(), m.get(GUARD));
        assertEquals(List.of(m.get()), seen, "map's callback gets the whole list");
        assertTrue(m.toCompletableFuture().isDone());
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "thread"})
    void aPendingResultIsNotReady(String method) throws Exception {
        Pool pool = pools.get(method);
        AsyncResult<String> slow = pool.applyAsync(() -> {
            Thread.sleep(500);
            return "late";
        });
        assertThrows(IllegalStateException.class, slow::successful, "not ready yet");
        assertThrows(java.util.concurrent.TimeoutException.class, () -> slow.get(Duration.ofMillis(1)));
        assertFalse(slow.await(Duration.ZERO));
        assertTrue(slow.await(GUARD));
        assertEquals("late", slow.get());
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "thread"})
    void aTaskExceptionKeepsItsTypeAndItsWorkerStackTrace(String method) throws Exception {
        Pool pool = pools.get(method);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> pool.map(x -> { if (x == 5) throw new IllegalStateException("five"); return x; }, range(20), 2));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("five", e.getCause().getMessage());
        assertTrue(List.of(e.getCause().getStackTrace()).stream().anyMatch(f -> f.getClassName().equals(PoolTest.class.getName())),
                "the stack trace names the lambda's class");
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "thread"})
    void imapGivesResultsInOrderAndImapUnorderedGivesThemAll(String method) throws Exception {
        Pool pool = pools.get(method);
        List<Integer> want = range(50).stream().map(PoolTest::square).toList();
        for (int chunk : new int[] {1, 4, 50}) {
            List<Integer> got = new ArrayList<>();
            pool.imap(PoolTest::square, range(50), chunk).forEachRemaining(got::add);
            assertEquals(want, got, "imap chunksize " + chunk);
            List<Integer> any = new ArrayList<>();
            pool.<Integer, Integer>imapUnordered(x -> {
                if (x % 10 == 0) Thread.sleep(20); // some come late
                return square(x);
            }, range(50), chunk).forEachRemaining(any::add);
            Collections.sort(any);
            assertEquals(want, any, "imapUnordered chunksize " + chunk);
        }
        PoolIterator<Integer> empty = pool.imap(PoolTest::square, List.of());
        assertFalse(empty.hasNext());
        assertThrows(java.util.NoSuchElementException.class, () -> empty.next(GUARD));
        assertThrows(IllegalArgumentException.class, () -> pool.imap(PoolTest::square, range(3), 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "thread"})
    void imapReadsAnEndlessInputOnlyAsFastAsItRuns(String method) throws Exception {
        Pool pool = pools.get(method);
        AtomicInteger read = new AtomicInteger();
        Iterator<Integer> endless = new Iterator<>() {
            public boolean hasNext() { return true; }
            public Integer next() { return read.getAndIncrement(); }
        };
        PoolIterator<Integer> it = pool.imap(x -> x + 1, () -> endless);
        for (int i = 0; i < 100; i++) assertEquals(i + 1, it.next(GUARD));
        pool.applyAsync(() -> 0).get(GUARD); // later calls still run: the endless one holds no worker
        assertTrue(read.get() <= 100 + ShmPool.IMAP_WINDOW_PER_WORKER * pool.processes(), "read " + read.get() + " items for 100 results");
        it.cancel();
        assertThrows(java.util.concurrent.CancellationException.class, () -> it.next(GUARD));
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "thread"})
    void executorServiceMethods(String method) throws Exception {
        Pool pool = pools.get(method);
        assertEquals(5, pool.submit(() -> 5).get());
        Callable<Integer> plain = () -> 6; // typed Callable: not serializable
        if (method.equals("thread")) assertEquals(6, pool.submit(plain).get());
        else assertThrows(IllegalArgumentException.class, () -> pool.submit(plain));
        if (method.equals("thread")) assertEquals(1, pool.submit(new NotSerializableCallable()).get());
        else assertThrows(IllegalArgumentException.class, () -> pool.submit(new NotSerializableCallable()));
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int k = i;
            tasks.add((Callable<Integer> & java.io.Serializable) () -> k * 10);
        }
        List<Integer> all = new ArrayList<>();
        for (Future<Integer> f : pool.invokeAll(tasks)) all.add(f.get());
        assertEquals(List.of(0, 10, 20, 30, 40, 50), all);
        assertTrue(Set.of(0, 10, 20, 30, 40, 50).contains(pool.invokeAny(tasks)));
        CountDownLatch ran = new CountDownLatch(1);
        if (method.equals("thread")) {
            pool.execute(ran::countDown);
            assertTrue(ran.await(GUARD.toSeconds(), TimeUnit.SECONDS));
        }
        Future<?> r = pool.submit((Runnable & java.io.Serializable) () -> {}, "done");
        assertEquals("done", r.get());
    }

    static final class NotSerializableCallable implements Callable<Integer> {
        public Integer call() { return 1; }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "thread"})
    void workTakesAllWorkers(String method) throws Exception {
        Pool pool = pools.get(method);
        Set<String> who = new HashSet<>(pool.map(x -> {
            Thread.sleep(100);
            return ProcessHandle.current().pid() + "/" + Thread.currentThread().getName();
        }, range(8), 1));
        assertEquals(2, who.size(), "two workers shared the work: " + who);
    }
}
