package io.multiprocessing4j.distributed.pool;

import io.multiprocessing4j.distributed.Distributed;
import io.multiprocessing4j.distributed.DistributedContext;
import io.multiprocessing4j.distributed.DistributedOptions;
import io.multiprocessing4j.distributed.RedisServer;
import io.multiprocessing4j.distributed.TempDirs;
import io.multiprocessing4j.pool.AsyncResult;
import io.multiprocessing4j.pool.WorkerLostException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distributed Pool when workers die, come, or are missing, and its life cycle. Tasks
 * tell the test where they are through marker files, and wait for a "go" file where a test
 * needs them held: nothing depends on how long anything takes.
 */
class DistributedPoolFailureTest {
    static final String POOL = "failures";
    static final Duration GUARD = Duration.ofSeconds(90);
    static RedisServer server;
    static DistributedContext ctx;
    static final List<WorkerJvm> workers = new ArrayList<>();
    static final List<WorkerJvm> ended = new ArrayList<>();
    static final List<Path> dirs = new ArrayList<>();
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = RedisServer.start();
        ctx = Distributed.context(DistributedOptions.builder(server.address()).lease(Duration.ofSeconds(2)).build());
    }

    @BeforeEach
    void twoWorkers() throws Exception {
        for (WorkerJvm w : List.copyOf(workers)) {
            if (!w.process().isAlive()) {
                workers.remove(w);
                ended.add(w);
            }
        }
        while (workers.size() < 2) workers.add(WorkerJvm.start(server.address(), POOL, 1));
        dir = Files.createTempDirectory("mp4j-dpool-test");
        dirs.add(dir); // removed once the workers are gone: a test's last tasks may still wait for its "go"
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            for (WorkerJvm w : workers) w.close();
            for (WorkerJvm w : ended) w.close();
            for (WorkerJvm w : workers) assertFalse(w.process().isAlive());
            if (ctx != null) ctx.close();
        } finally {
            if (server != null) server.close();
            for (Path d : dirs) TempDirs.remove(d);
        }
    }

    static long pid() { return ProcessHandle.current().pid(); }

    /** Writes {@code name} (its content: this pid), then waits for {@code go} (null: for ever). */
    static long markAndHold(String dir, String name, String go) throws Exception {
        Files.writeString(Path.of(dir, name), Long.toString(pid()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (go == null || !Files.exists(Path.of(dir, go))) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("never told to go");
            Thread.sleep(10);
        }
        return pid();
    }

    long awaitMarker(String name) throws Exception { return awaitMarker(dir, name); }

    /** Waits for marker {@code name} in {@code dir} and returns the pid written in it. */
    static long awaitMarker(Path dir, String name) throws Exception {
        Path p = dir.resolve(name);
        long deadline = System.nanoTime() + GUARD.toNanos();
        while (true) {
            if (Files.exists(p)) {
                String s = Files.readString(p);
                if (!s.isEmpty()) return Long.parseLong(s);
            }
            if (System.nanoTime() > deadline) throw new AssertionError("no marker " + name);
            Thread.sleep(10);
        }
    }

    WorkerJvm worker(long pid) {
        return workers.stream().filter(w -> w.pid() == pid).findFirst().orElseThrow(() -> new AssertionError("no worker " + pid));
    }

    void go() throws Exception {
        Files.writeString(dir.resolve("go"), "");
    }

    @Test
    void aWorkerKilledMidTaskFailsThatTaskWithWorkerLostExceptionAndThePoolGoesOn() throws Exception {
        String d = dir.toString();
        try (DistributedPool pool = ctx.pool(POOL)) {
            AsyncResult<Long> r = pool.applyAsync(() -> markAndHold(d, "started", null));
            long victim = awaitMarker("started");
            worker(victim).kill();
            ExecutionException e = assertThrows(ExecutionException.class, () -> r.get(GUARD));
            WorkerLostException lost = assertInstanceOf(WorkerLostException.class, e.getCause());
            assertEquals(victim, lost.pid());
            assertTrue(lost.getMessage().contains(Long.toString(victim)), lost.getMessage());
            long other = pool.apply(DistributedPoolFailureTest::pid);
            assertNotEquals(victim, other);
        }
    }

    @Test
    void withRetryTheTaskOfAKilledWorkerRunsOnceMoreOnAnother() throws Exception {
        String d = dir.toString();
        try (DistributedPool pool = ctx.pool(POOL, PoolOptions.defaults().withRetryOnWorkerLoss(true))) {
            AsyncResult<Long> r = pool.applyAsync(() -> Files.exists(Path.of(d, "started")) ? pid() : markAndHold(d, "started", null));
            long victim = awaitMarker("started");
            worker(victim).kill();
            long second = r.get(GUARD);
            assertNotEquals(victim, second);
            assertTrue(workers.stream().anyMatch(w -> w.pid() == second));
        }
    }

    @Test
    void aWorkerAddedWhileAMapRunsTakesWork() throws Exception {
        String d = dir.toString();
        WorkerJvm gone = workers.removeLast();
        gone.kill();
        ended.add(gone);
        try (DistributedPool pool = ctx.pool(POOL)) {
            AsyncResult<List<Long>> r = pool.mapAsync(x -> markAndHold(d, "started-" + pid(), "go"),
                    IntStream.range(0, 20).boxed().toList(), 1, null, null);
            long first = awaitMarker("started-" + workers.getFirst().pid());
            WorkerJvm added = WorkerJvm.start(server.address(), POOL, 1);
            workers.add(added);
            awaitMarker("started-" + added.pid()); // the newcomer took a chunk of the running map
            go();
            Set<Long> pids = new HashSet<>(r.get(GUARD));
            assertEquals(Set.of(first, added.pid()), pids);
        }
    }

    @Test
    void noLiveWorkerFailsTheCallClearlyAfterTheTimeout() throws Exception {
        try (DistributedPool pool = ctx.pool("nobody-serves-this", PoolOptions.defaults().withNoWorkerTimeout(Duration.ofSeconds(1)))) {
            assertEquals(0, pool.liveWorkers());
            ExecutionException e = assertThrows(ExecutionException.class, () -> pool.apply(() -> 1));
            NoLiveWorkerException cause = assertInstanceOf(NoLiveWorkerException.class, e.getCause());
            assertTrue(cause.getMessage().contains("nobody-serves-this") && cause.getMessage().contains("bin/worker"), cause.getMessage());
            CompletionException c = assertThrows(CompletionException.class, () -> pool.imap(x -> x, List.of(1, 2)).next());
            assertInstanceOf(NoLiveWorkerException.class, c.getCause());
        }
    }

    @Test
    void aCancelledCallsQueuedTasksNeverRun() throws Exception {
        String d = dir.toString();
        try (DistributedPool pool = ctx.pool(POOL)) {
            AsyncResult<Long> a = pool.applyAsync(() -> markAndHold(d, "a", "go"));
            AsyncResult<Long> b = pool.applyAsync(() -> markAndHold(d, "b", "go"));
            awaitMarker("a");
            awaitMarker("b"); // both workers are held: what comes next waits in the queue
            AsyncResult<Long> queued = pool.applyAsync(() -> markAndHold(d, "cancelled-ran", null));
            assertTrue(queued.cancel(false));
            assertThrows(CancellationException.class, queued::get);
            go();
            a.get(GUARD);
            b.get(GUARD);
            assertEquals(List.of(1, 2, 3, 4), pool.map(x -> x, List.of(1, 2, 3, 4), 1)); // queued behind the cancelled task
            assertFalse(Files.exists(dir.resolve("cancelled-ran")));
        }
    }

    @Test
    void shutdownLetsQueuedWorkFinishRefusesNewCallsAndJoinWaits() throws Exception {
        String d = dir.toString();
        DistributedPool pool = ctx.pool(POOL);
        AsyncResult<List<Integer>> r = pool.mapAsync(x -> {
            markAndHold(d, "started", "go");
            return x * 2;
        }, IntStream.range(0, 10).boxed().toList(), 1, null, null);
        assertThrows(IllegalStateException.class, pool::join);
        awaitMarker("started");
        pool.shutdown();
        assertTrue(pool.isShutdown());
        assertFalse(pool.isTerminated());
        assertThrows(RejectedExecutionException.class, () -> pool.apply(() -> 1));
        go();
        pool.join();
        assertTrue(pool.isTerminated());
        assertEquals(IntStream.range(0, 10).map(x -> x * 2).boxed().toList(), r.get(Duration.ZERO));
    }

    @Test
    void terminateCancelsPendingCallsAndTheWorkersServeOn() throws Exception {
        String d = dir.toString();
        DistributedPool pool = ctx.pool(POOL);
        List<AsyncResult<Long>> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) held.add(pool.applyAsync(() -> markAndHold(d, "started", "go")));
        awaitMarker("started");
        pool.terminate();
        for (AsyncResult<Long> r : held) assertThrows(CancellationException.class, () -> r.get(GUARD));
        assertTrue(pool.awaitTermination(GUARD.toSeconds(), TimeUnit.SECONDS));
        pool.join();
        go();
        try (DistributedPool next = ctx.pool(POOL)) { // the workers are not this client's: they serve the next
            assertEquals(List.of(1, 2), next.map(x -> x, List.of(1, 2)));
        }
    }

    @Test
    void closeWaitsForTheWorkAndClosingTheContextTerminatesItsPools() throws Exception {
        AsyncResult<List<Integer>> r;
        try (DistributedPool pool = ctx.pool(POOL)) {
            r = pool.mapAsync(x -> x + 1, IntStream.range(0, 100).boxed().toList());
        }
        assertTrue(r.isDone());
        assertEquals(100, r.get().getLast());

        String d = dir.toString();
        DistributedContext other = Distributed.context(DistributedOptions.builder(server.address()).lease(Duration.ofSeconds(2)).build());
        DistributedPool pool = other.pool(POOL);
        AsyncResult<Long> pending = pool.applyAsync(() -> markAndHold(d, "started", "go"));
        awaitMarker("started");
        other.close();
        assertThrows(CancellationException.class, () -> pending.get(GUARD));
        assertTrue(pool.awaitTermination(GUARD.toSeconds(), TimeUnit.SECONDS));
        assertThrows(RejectedExecutionException.class, () -> pool.apply(() -> 1));
        go();
    }

    @Test
    void aSupervisorKeepsItsWorkersRunningAndTakesThemAlongWhenItStops() throws Exception {
        String d = dir.toString();
        try (WorkerJvm supervisor = WorkerJvm.start(server.address(), "supervised", 2);
             DistributedPool pool = ctx.pool("supervised")) {
            List<Long> children = supervisor.workerPids();
            assertEquals(2, new HashSet<>(children).size());
            assertFalse(children.contains(supervisor.pid()));
            AsyncResult<List<Long>> r = pool.mapAsync(x -> markAndHold(d, "started-" + pid(), "go"), List.of(1, 2, 3, 4), 1, null, null);
            for (long c : children) awaitMarker("started-" + c);
            go();
            assertEquals(new HashSet<>(children), new HashSet<>(r.get(GUARD)));

            ProcessHandle.of(children.getFirst()).orElseThrow().destroyForcibly();
            long replacement = supervisor.awaitServing();
            assertFalse(children.contains(replacement));

            List<ProcessHandle> all = supervisor.process().descendants().toList();
            supervisor.process().destroy(); // SIGTERM
            assertTrue(supervisor.process().waitFor(GUARD.toSeconds(), TimeUnit.SECONDS));
            for (ProcessHandle h : all) h.onExit().get(GUARD.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
