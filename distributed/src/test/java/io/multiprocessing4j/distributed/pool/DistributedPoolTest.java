package io.multiprocessing4j.distributed.pool;

import io.multiprocessing4j.distributed.Distributed;
import io.multiprocessing4j.distributed.DistributedContext;
import io.multiprocessing4j.distributed.DistributedOptions;
import io.multiprocessing4j.distributed.RedisServer;
import io.multiprocessing4j.function.SerializableCallable;
import io.multiprocessing4j.pool.AsyncResult;
import io.multiprocessing4j.pool.PoolIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The distributed Pool's calls with two worker JVMs on one pool: results, order, callbacks, exceptions. */
class DistributedPoolTest {
    static final String POOL = "calls";
    static RedisServer server;
    static DistributedContext ctx;
    static List<WorkerJvm> workers = new ArrayList<>();
    static Set<Long> workerPids = new HashSet<>();

    @BeforeAll
    static void start() throws Exception {
        server = RedisServer.start();
        ctx = Distributed.context(DistributedOptions.builder(server.address()).lease(Duration.ofSeconds(2)).build());
        for (int i = 0; i < 2; i++) {
            WorkerJvm w = WorkerJvm.start(server.address(), POOL, 1);
            workers.add(w);
            workerPids.addAll(w.workerPids());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            for (WorkerJvm w : workers) w.close();
            for (WorkerJvm w : workers) assertFalse(w.process().isAlive());
            if (ctx != null) ctx.close();
        } finally {
            if (server != null) server.close();
        }
    }

    static long pid() { return ProcessHandle.current().pid(); }

    static int slowSquare(int x) throws InterruptedException {
        Thread.sleep(20);
        return x * x;
    }

    static Object boom(Object x) {
        throw new IllegalStateException("boom on " + x);
    }

    @Test
    void mapKeepsTheInputOrderForEveryChunkSizeAndUsesBothWorkers() throws Exception {
        try (DistributedPool pool = ctx.pool(POOL)) {
            List<Integer> in = IntStream.range(0, 1000).boxed().toList();
            List<Integer> squares = in.stream().map(x -> x * x).toList();
            assertEquals(squares, pool.map(x -> x * x, in));
            for (int chunk : new int[] {1, 3, 7, 1000, 5000}) assertEquals(squares, pool.map(x -> x * x, in, chunk), "chunksize " + chunk);
            assertEquals(List.of(), pool.map(x -> x, List.of()));
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("mp4j-dpool-calls");
            try {
                String d = dir.toString();
                AsyncResult<List<Long>> held = pool.mapAsync(x -> DistributedPoolFailureTest.markAndHold(d, "started-" + pid(), "go"),
                        IntStream.range(0, 10).boxed().toList(), 1, null, null);
                for (long w : workerPids) DistributedPoolFailureTest.awaitMarker(dir, "started-" + w); // each worker holds a task
                java.nio.file.Files.writeString(dir.resolve("go"), "");
                List<Long> pids = held.get(Duration.ofSeconds(90));
                assertEquals(workerPids, new HashSet<>(pids), "both worker JVMs ran tasks, and no other process");
            } finally {
                io.multiprocessing4j.distributed.TempDirs.remove(dir);
            }
        }
    }

    @Test
    void valuesOfEveryKindTravelAndStarmapSpreadsItsArguments() throws Exception {
        try (DistributedPool pool = ctx.pool(POOL)) {
            List<Object> mixed = Arrays.asList(null, "text", 3L, 2.5, new int[] {1, 2}, List.of("a", "b"), 'c');
            List<Object> back = pool.map(x -> x, mixed, 2);
            assertEquals(mixed.size(), back.size());
            for (int i = 0; i < mixed.size(); i++) {
                if (mixed.get(i) instanceof int[] a) assertTrue(Arrays.equals(a, (int[]) back.get(i)));
                else assertEquals(mixed.get(i), back.get(i));
            }
            List<Object[]> args = IntStream.range(0, 50).mapToObj(i -> new Object[] {i, "s" + i}).toList();
            List<String> joined = pool.starmap(a -> a[1] + ":" + a[0], args);
            assertEquals(IntStream.range(0, 50).mapToObj(i -> "s" + i + ":" + i).toList(), joined);
            assertEquals(joined, pool.starmap(a -> a[1] + ":" + a[0], args, 7));
        }
    }

    @Test
    void imapGivesResultsInOrderAndImapUnorderedGivesThemAll() throws Exception {
        try (DistributedPool pool = ctx.pool(POOL)) {
            List<Integer> in = IntStream.range(0, 200).boxed().toList();
            for (int chunk : new int[] {1, 6}) {
                PoolIterator<Integer> it = pool.imap(DistributedPoolTest::slowSquareBoxed, in, chunk);
                List<Integer> got = new ArrayList<>();
                while (it.hasNext()) got.add(it.next());
                assertEquals(in.stream().map(x -> x * x).toList(), got);
                PoolIterator<Integer> un = pool.imapUnordered(x -> x + 1, in, chunk);
                List<Integer> all = new ArrayList<>();
                un.forEachRemaining(all::add);
                all.sort(null);
                assertEquals(in.stream().map(x -> x + 1).toList(), all);
            }
            PoolIterator<Integer> endless = pool.imap(x -> x, () -> IntStream.iterate(0, i -> i + 1).boxed().iterator());
            for (int i = 0; i < 100; i++) assertEquals(i, endless.next(Duration.ofSeconds(60)));
            endless.cancel();
        }
    }

    static Integer slowSquareBoxed(Integer x) throws InterruptedException {
        return x % 50 == 0 ? slowSquare(x) : x * x;
    }

    @Test
    void applyAndAsyncResultsRunTheirCallbacksBeforeTheyAreReady() throws Exception {
        try (DistributedPool pool = ctx.pool(POOL)) {
            assertTrue(workerPids.contains(pool.apply(DistributedPoolTest::pid)));
            CompletableFuture<Object> seen = new CompletableFuture<>();
            AsyncResult<Integer> ok = pool.applyAsync(() -> 6 * 7, v -> seen.complete(v), seen::completeExceptionally);
            assertEquals(42, ok.get(Duration.ofSeconds(60)));
            assertTrue(ok.ready() && ok.successful());
            assertEquals(42, seen.getNow(null), "the callback ran before the result was ready");

            CompletableFuture<Throwable> failed = new CompletableFuture<>();
            AsyncResult<Object> bad = pool.applyAsync(() -> boom("apply"), v -> failed.complete(null), failed::complete);
            assertThrows(ExecutionException.class, () -> bad.get(Duration.ofSeconds(60)));
            assertFalse(bad.successful());
            assertInstanceOf(IllegalStateException.class, failed.getNow(null));

            CompletableFuture<List<Integer>> mapped = new CompletableFuture<>();
            pool.mapAsync((Integer x) -> x + 1, List.of(1, 2, 3), 0, mapped::complete, mapped::completeExceptionally)
                    .await(Duration.ofSeconds(60));
            assertEquals(List.of(2, 3, 4), mapped.getNow(null));
        }
    }

    @Test
    void aTaskExceptionKeepsItsTypeAndItsWorkerStackTrace() throws Exception {
        try (DistributedPool pool = ctx.pool(POOL)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> pool.map(DistributedPoolTest::boom, List.of(1, 2, 3), 1));
            IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
            assertTrue(cause.getMessage().startsWith("boom on "), cause.getMessage());
            List<String> frames = Arrays.stream(cause.getStackTrace()).map(f -> f.getClassName() + "." + f.getMethodName()).toList();
            assertTrue(frames.contains(DistributedPoolTest.class.getName() + ".boom"), frames.toString());
            assertTrue(frames.stream().anyMatch(f -> f.contains("WorkerLoop")), "the worker's frames: " + frames);

            PoolIterator<Object> it = pool.imap(x -> x == 1 ? boom(x) : x, List.of(0, 1, 2));
            assertEquals(0, it.next());
            ExecutionException once = assertThrows(ExecutionException.class, () -> it.next(Duration.ofSeconds(60)));
            assertInstanceOf(IllegalStateException.class, once.getCause());
            assertEquals(2, it.next(), "the iteration goes on after a failed task");
            assertFalse(it.hasNext());
        }
    }

    @Test
    void whatCannotBeSentIsRefusedAtTheCallAndAResultThatCannotFailsItsTask() throws Exception {
        try (DistributedPool pool = ctx.pool(POOL)) {
            assertThrows(IllegalArgumentException.class, () -> pool.map(x -> x, List.of(new Object())));
            Callable<Integer> plain = () -> 1;
            assertThrows(IllegalArgumentException.class, () -> pool.submit(plain));
            ExecutionException e = assertThrows(ExecutionException.class, () -> pool.apply(() -> new Object()));
            assertInstanceOf(java.io.NotSerializableException.class, e.getCause());
        }
    }

    @Test
    void executorServiceMethods() throws Exception {
        try (DistributedPool pool = ctx.pool(POOL)) {
            assertEquals(5, pool.submit((SerializableCallable<Integer>) () -> 5).get(60, TimeUnit.SECONDS));
            Future<String> r = pool.submit((Runnable & Serializable) () -> { }, "done");
            assertEquals("done", r.get(60, TimeUnit.SECONDS));
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int k = i;
                calls.add((Callable<Integer> & Serializable) () -> k * 10);
            }
            List<Integer> all = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) all.add(f.get());
            assertEquals(List.of(0, 10, 20, 30, 40), all);
            assertTrue(Set.of(0, 10, 20, 30, 40).contains(pool.invokeAny(calls)));
            assertTrue(pool.processes() >= 2);
            assertEquals(2, pool.liveWorkers());
        }
    }
}
