package io.multiprocessing4j.pool;

import io.multiprocessing4j.internal.pool.ShmAsyncResult;
import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.connection.ProcessError;
import io.multiprocessing4j.process.RemoteException;
import io.multiprocessing4j.internal.os.ProcessIdentity;
import io.multiprocessing4j.testsupport.Await;
import io.multiprocessing4j.testsupport.TestRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.Serial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

import static io.multiprocessing4j.testsupport.Children.spawn;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Failures and the life cycle of pools, on real worker JVMs (spawn) and, where it means
 * something, on threads: dead workers, retired workers, initializers, shutdown / terminate /
 * close, what cannot be serialized, broken imap inputs, and closing the context. The happy
 * paths are in {@link PoolTest}.
 *
 * <p>Tasks that must be "still running" when the test acts write their worker's pid to a
 * file in a temporary directory and then sleep a minute; the test waits for the file. No
 * assertion depends on how fast anything is: timeouts are hang guards only.
 */
class PoolFailureTest {
    static final Duration GUARD = Await.HANG;
    /** The item of {@link #squareOrHalt} whose task ends its worker JVM. */
    static final int HALTING = 7;

    @TempDir Path dir;
    /** The worker JVMs the test learnt of while they ran, by pid (a zombie counts as ended). */
    private final Map<Long, ProcessIdentity> workers = new ConcurrentHashMap<>();

    static List<Integer> range(int n) { return IntStream.range(0, n).boxed().toList(); }

    // ---------------------------------------------------------------- what tasks run (static: nothing captures the test)

    static long pid() { return ProcessHandle.current().pid(); }

    /** Which worker this is: a JVM in a process pool, a thread in a thread pool. */
    static String workerId() { return pid() + ":" + Thread.currentThread().threadId(); }

    static int slowSquare(int x) throws InterruptedException {
        Thread.sleep(30);
        return x * x;
    }

    /** Writes this worker's pid to {@code dir/name} (atomically), so that the test knows the task runs. */
    static long reportPid(String dir, String name) throws IOException {
        long pid = pid();
        Path tmp = Path.of(dir, name + ".tmp");
        Files.writeString(tmp, Long.toString(pid));
        Files.move(tmp, Path.of(dir, name), StandardCopyOption.ATOMIC_MOVE);
        return pid;
    }

    /** A task surely still running when the test acts on it: says it started, then sleeps a minute. */
    static long reportAndSleep(String dir, String name) throws Exception {
        long pid = reportPid(dir, name);
        Thread.sleep(60_000);
        return pid;
    }

    /** x*x, except for {@link #HALTING}, whose worker reports its pid and ends at once with exit code 3. */
    static int squareOrHalt(int x, String dir) throws IOException {
        if (x == HALTING) {
            reportPid(dir, "halted");
            Runtime.getRuntime().halt(3);
        }
        return x * x;
    }

    static void awaitGateThenFail(String gate) throws InterruptedException {
        while (!Files.exists(Path.of(gate))) Thread.sleep(10);
        throw new IllegalStateException("init boom");
    }

    /** What an initializer sets in its worker (a static of the worker's JVM, or of this one for threads). */
    static final class WorkerState {
        static volatile String token;
    }

    /** An exception that cannot be serialized: it holds a plain Object. */
    static final class Unsendable extends RuntimeException {
        @Serial private static final long serialVersionUID = 1L;
        @SuppressWarnings({"unused", "serial"})
        private final Object junk = new Object();

        Unsendable(String message) { super(message); }
    }

    // ---------------------------------------------------------------- the test's side

    /** Waits for the pid that the task {@code name} wrote, and records its JVM for the leak check. */
    long awaitPid(String name) throws Exception {
        Path f = dir.resolve(name);
        assertTrue(Await.until(() -> Files.exists(f), GUARD), "task " + name + " never started");
        return remember(Long.parseLong(Files.readString(f)));
    }

    /** Notes the worker JVM {@code pid}, which must still run (or be unreaped), for {@link #alive} and the leak check. */
    long remember(long pid) {
        if (pid != pid()) {
            workers.put(pid, ProcessIdentity.of(pid));
            TestRun.record(pid);
        }
        return pid;
    }

    /** The names of the pid files written so far. */
    Set<String> reported() {
        try (var s = Files.list(dir)) {
            return new HashSet<>(s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".tmp") && !n.equals("gate")).toList());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    boolean alive(long pid) {
        ProcessIdentity id = workers.get(pid);
        return id != null ? id.isAlive() : ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static Throwable root(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t;
    }

    // ================================================================ 1. workers that die

    @Test
    void aWorkerThatHaltsFailsOnlyItsTaskAndIsReplaced() throws Exception {
        String d = dir.toString();
        try (Context ctx = spawn()) {
            Pool pool = ctx.pool(2);
            PoolIterator<Integer> it = pool.imap(x -> squareOrHalt(x, d), range(20), 1);
            WorkerLostException lost = null;
            for (int i = 0; i < 20; i++) {
                assertTrue(it.hasNext(), "item " + i + " is not lost");
                if (i == HALTING) {
                    CompletionException e = assertThrows(CompletionException.class, it::next);
                    lost = assertInstanceOf(WorkerLostException.class, e.getCause());
                } else {
                    assertEquals(i * i, it.next(), "item " + i);
                }
            }
            assertFalse(it.hasNext());
            long halted = Long.parseLong(Files.readString(dir.resolve("halted")));
            assertEquals(halted, lost.pid(), lost::toString);
            assertEquals(3, lost.exitCode(), lost::toString);
            assertFalse(alive(halted), "the dead worker was reaped");

            // map fails as a whole, with the worker's loss as the cause
            Files.delete(dir.resolve("halted"));
            ExecutionException e = assertThrows(ExecutionException.class, () -> pool.map(x -> squareOrHalt(x, d), range(20), 1));
            WorkerLostException lost2 = assertInstanceOf(WorkerLostException.class, e.getCause());
            assertEquals(3, lost2.exitCode());
            assertEquals(Long.parseLong(Files.readString(dir.resolve("halted"))), lost2.pid());

            // replacements run what comes next
            List<Long> pids = pool.map(x -> pid(), range(6), 1);
            for (long p : pids) {
                assertNotEquals(lost.pid(), p);
                assertNotEquals(lost2.pid(), p);
                assertNotEquals(pid(), p, "tasks run in worker JVMs");
            }
            assertEquals(List.of(0, 1, 4), pool.map(x -> squareOrHalt(x, d), range(3)));

            // System.exit in a task: its worker is lost as well, with that exit code
            ExecutionException ex = assertThrows(ExecutionException.class, () -> pool.apply(() -> {
                System.exit(5);
                return 0;
            }));
            assertEquals(5, assertInstanceOf(WorkerLostException.class, ex.getCause()).exitCode());
            assertEquals(9, pool.apply(() -> 9));
            pool.shutdown();
            pool.join();
            assertTrue(pool.isTerminated());
        }
    }

    @Test
    void aWorkerKilledFromOutsideFailsItsTaskAndTheTasksQueuedBehindItStillRun() throws Exception {
        String d = dir.toString();
        try (Context ctx = spawn()) {
            Pool pool = ctx.pool(1); // one worker: b and c wait behind a (b may have been sent to it ahead)
            CompletableFuture<Throwable> errorCallback = new CompletableFuture<>();
            AsyncResult<Long> a = pool.applyAsync(() -> reportAndSleep(d, "a"), v -> errorCallback.complete(null), errorCallback::complete);
            AsyncResult<Long> b = pool.applyAsync(PoolFailureTest::pid);
            AsyncResult<Long> c = pool.applyAsync(PoolFailureTest::pid);
            long victim = awaitPid("a");
            assertNotEquals(pid(), victim);
            assertFalse(b.ready(), "b waits behind a");
            ProcessHandle.of(victim).orElseThrow().destroyForcibly();

            ExecutionException e = assertThrows(ExecutionException.class, () -> a.get(GUARD));
            WorkerLostException lost = assertInstanceOf(WorkerLostException.class, e.getCause());
            assertEquals(victim, lost.pid());
            assertEquals(-9, lost.exitCode(), "SIGKILL");
            assertTrue(lost.getMessage().contains(Long.toString(victim)), lost.getMessage());
            assertSame(lost, errorCallback.get(GUARD.toSeconds(), TimeUnit.SECONDS), "the error callback saw the loss");

            long replacement = b.get(GUARD);
            assertNotEquals(victim, replacement);
            assertNotEquals(pid(), replacement);
            assertEquals(replacement, c.get(GUARD), "one worker: its replacement ran both");
            assertEquals(42, pool.apply(() -> 42));
            pool.shutdown();
            pool.join();
        }
    }

    @Test
    void aWorkerKilledAfterShutdownIsStillReplacedForTheQueuedWork() throws Exception {
        String d = dir.toString();
        try (Context ctx = spawn()) {
            Pool pool = ctx.pool(1);
            AsyncResult<Long> a = pool.applyAsync(() -> reportAndSleep(d, "a"));
            AsyncResult<List<Integer>> rest = pool.mapAsync(x -> x * x, range(5), 1, null, null);
            long victim = awaitPid("a");
            pool.shutdown();
            ProcessHandle.of(victim).orElseThrow().destroyForcibly();
            ExecutionException e = assertThrows(ExecutionException.class, () -> a.get(GUARD));
            assertEquals(victim, assertInstanceOf(WorkerLostException.class, e.getCause()).pid());
            assertEquals(List.of(0, 1, 4, 9, 16), rest.get(GUARD), "queued before shutdown: still runs");
            pool.join();
            assertTrue(pool.isTerminated());
        }
    }

    /**
     * A worker that dies while it has no task (here: killed between two calls) ran nothing,
     * so nothing may fail for it: the next task must run on its replacement.
     */
    @Test
    void aWorkerThatDiesWhileIdleFailsNoTask() throws Exception {
        try (Context ctx = spawn()) {
            Pool pool = ctx.pool(1);
            long victim = remember(pool.apply(PoolFailureTest::pid));
            ProcessHandle.of(victim).orElseThrow().destroyForcibly();
            assertTrue(Await.until(() -> !alive(victim), GUARD), "the worker did not die");

            AsyncResult<Long> next = pool.applyAsync(PoolFailureTest::pid);
            long ran;
            try {
                ran = next.get(GUARD);
            } catch (ExecutionException e) {
                throw new AssertionError("a task submitted after its worker died failed for that worker's death: " + e.getCause(), e);
            }
            assertNotEquals(victim, ran);
            pool.shutdown();
            pool.join();
        }
    }

    // ================================================================ 2. maxTasksPerChild

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "thread"})
    void workersAreReplacedAfterMaxTasksPerChild(String method) throws Exception {
        try (Context ctx = Multiprocessing.getContext(method)) {
            Pool pool = ctx.pool(2, null, 2);
            List<String> ids = pool.map(x -> workerId(), range(10), 1);
            assertEquals(10, ids.size());
            Map<String, Integer> count = new HashMap<>();
            for (String id : ids) count.merge(id, 1, Integer::sum);
            count.forEach((id, n) -> assertTrue(n <= 2, id + " ran " + n + " tasks: " + ids));
            assertTrue(count.size() >= 5, "distinct workers: " + count);
            if (method.equals("spawn")) {
                for (String id : count.keySet()) assertFalse(id.startsWith(pid() + ":"), "tasks run in worker JVMs: " + id);
            }
            pool.shutdown();
            pool.join();
            assertTrue(pool.isTerminated());
        }
    }

    // ================================================================ 3. initializers

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "thread"})
    void theInitializerRunsInEachWorkerBeforeItsTasks(String method) throws Exception {
        String token = "init-" + method + "-" + System.nanoTime();
        try (Context ctx = Multiprocessing.getContext(method)) {
            Pool pool = ctx.pool(2, () -> WorkerState.token = token, 3); // retirements: successors run it too
            List<String> seen = pool.map(x -> WorkerState.token + "/" + x, range(12), 1);
            assertEquals(range(12).stream().map(x -> token + "/" + x).toList(), seen);
            assertEquals(token, pool.apply(() -> WorkerState.token));
            pool.shutdown();
            pool.join();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "thread"})
    void anInitializerThatThrowsFailsPendingCallsAndRefusesNewOnes(String method) throws Exception {
        String gate = dir.resolve("gate").toString();
        try (Context ctx = Multiprocessing.getContext(method)) {
            Pool pool = ctx.pool(2, () -> awaitGateThenFail(gate));
            // a blocking apply, made while the initializers still wait for the gate
            CompletableFuture<Throwable> applyOutcome = new CompletableFuture<>();
            Thread caller = Thread.ofPlatform().name("apply-caller").start(() -> {
                try {
                    pool.apply(() -> 1);
                    applyOutcome.complete(null);
                } catch (Throwable t) {
                    applyOutcome.complete(t);
                }
            });
            AsyncResult<Integer> pending = pool.applyAsync(() -> 2);
            PoolIterator<Integer> iter = pool.imap(x -> x, range(3));
            assertTrue(Await.until(() -> caller.getState() == Thread.State.WAITING
                    && Arrays.stream(caller.getStackTrace()).anyMatch(f -> f.getClassName().equals(ShmAsyncResult.class.getName())), GUARD),
                    "apply never got to wait for its result");
            Files.createFile(Path.of(gate));

            Throwable t = applyOutcome.get(GUARD.toSeconds(), TimeUnit.SECONDS);
            ExecutionException ee = assertInstanceOf(ExecutionException.class, t, "apply's outcome");
            ProcessError pe = assertInstanceOf(ProcessError.class, ee.getCause());
            assertInstanceOf(IllegalStateException.class, root(pe), () -> "root cause of " + pe);
            assertEquals("init boom", root(pe).getMessage());
            caller.join();

            ExecutionException e2 = assertThrows(ExecutionException.class, () -> pending.get(GUARD));
            assertEquals("init boom", root(assertInstanceOf(ProcessError.class, e2.getCause())).getMessage());
            CompletionException e3 = assertThrows(CompletionException.class, iter::next);
            assertEquals("init boom", root(assertInstanceOf(ProcessError.class, e3.getCause())).getMessage());

            assertTrue(pool.isShutdown());
            RejectedExecutionException r = assertThrows(RejectedExecutionException.class, () -> pool.applyAsync(() -> 3));
            assertEquals("init boom", root(r).getMessage(), "the refusal says why");
            assertThrows(RejectedExecutionException.class, () -> pool.apply(() -> 3));
            assertThrows(RejectedExecutionException.class, () -> pool.map(x -> x, range(2)));
            assertThrows(RejectedExecutionException.class, () -> pool.imap(x -> x, range(2)));
            assertThrows(RejectedExecutionException.class, () -> pool.submit(() -> 3));
            pool.join();
            assertTrue(pool.isTerminated());
        }
    }

    /** The failure reaches the pool even when no call was made before the worker gave up and ended. */
    @Test
    void anInitializerThatFailedBeforeAnyCallStillBreaksThePool() throws Exception {
        String d = dir.toString();
        try (Context ctx = spawn()) {
            Pool pool = ctx.pool(1, () -> {
                reportPid(d, "init");
                throw new IllegalStateException("init boom");
            });
            long worker = awaitPid("init");
            assertTrue(Await.until(() -> !alive(worker), GUARD), "the worker whose initializer failed did not end");
            try {
                AsyncResult<Integer> r = pool.applyAsync(() -> 1);
                ExecutionException e = assertThrows(ExecutionException.class, () -> r.get(GUARD));
                ProcessError pe = assertInstanceOf(ProcessError.class, e.getCause());
                assertFalse(pe instanceof WorkerLostException, "the initializer's failure, not a lost worker: " + pe);
                assertEquals("init boom", root(pe).getMessage());
            } catch (RejectedExecutionException refused) { // also right: the pool knew already
                assertEquals("init boom", root(refused).getMessage());
            }
            assertThrows(RejectedExecutionException.class, () -> pool.applyAsync(() -> 1));
            pool.join();
            assertTrue(pool.isTerminated());
        }
    }

    // ================================================================ 4. life cycle

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "thread"})
    void shutdownLetsQueuedWorkFinishAndRefusesNewCalls(String method) throws Exception {
        try (Context ctx = Multiprocessing.getContext(method)) {
            Pool pool = ctx.pool(2);
            assertFalse(pool.isShutdown());
            assertThrows(IllegalStateException.class, pool::join, "join while the pool takes calls");
            List<AsyncResult<Integer>> applied = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                applied.add(pool.applyAsync(() -> slowSquare(n)));
            }
            AsyncResult<List<Integer>> mapped = pool.mapAsync(PoolFailureTest::slowSquare, range(10), 1, null, null);
            PoolIterator<Integer> iter = pool.imap(PoolFailureTest::slowSquare, range(6));
            pool.shutdown();
            pool.shutdown(); // twice is harmless
            assertTrue(pool.isShutdown());

            assertThrows(RejectedExecutionException.class, () -> pool.applyAsync(() -> 1));
            assertThrows(RejectedExecutionException.class, () -> pool.apply(() -> 1));
            assertThrows(RejectedExecutionException.class, () -> pool.map(x -> x, range(2)));
            assertThrows(RejectedExecutionException.class, () -> pool.mapAsync(x -> x, range(2)));
            assertThrows(RejectedExecutionException.class, () -> pool.imap(x -> x, range(2)));
            assertThrows(RejectedExecutionException.class, () -> pool.imapUnordered(x -> x, range(2)));
            assertThrows(RejectedExecutionException.class, () -> pool.submit(() -> 1));
            assertThrows(RejectedExecutionException.class, () -> pool.execute((Runnable & java.io.Serializable) () -> {}));

            pool.join();
            assertTrue(pool.isTerminated());
            for (int i = 0; i < 8; i++) assertEquals(i * i, applied.get(i).get(GUARD), "apply " + i);
            assertEquals(range(10).stream().map(x -> x * x).toList(), mapped.get(GUARD));
            List<Integer> got = new ArrayList<>();
            iter.forEachRemaining(got::add);
            assertEquals(range(6).stream().map(x -> x * x).toList(), got);
            pool.join(); // again: returns at once
            pool.terminate(); // after the end: nothing to do
            assertTrue(pool.isTerminated());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "thread"})
    void terminateCancelsPendingResultsAndStopsTheWorkers(String method) throws Exception {
        String d = dir.toString();
        try (Context ctx = Multiprocessing.getContext(method)) {
            Pool pool = ctx.pool(2);
            List<AsyncResult<Long>> pending = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String name = "t" + i;
                pending.add(pool.applyAsync(() -> reportAndSleep(d, name)));
            }
            AsyncResult<List<Long>> mapped = pool.mapAsync(x -> reportAndSleep(d, "m" + x), range(2), 1, null, null);
            PoolIterator<Long> iter = pool.imap(x -> reportAndSleep(d, "i" + x), range(2));
            assertTrue(Await.until(() -> reported().size() >= 2, GUARD), "two tasks should be running");
            Set<Long> running = new HashSet<>();
            for (String name : reported()) running.add(awaitPid(name));

            pool.terminate();
            assertTrue(pool.isShutdown());
            for (AsyncResult<Long> r : pending) {
                assertThrows(CancellationException.class, () -> r.get(GUARD));
                assertTrue(r.isCancelled());
                assertTrue(r.ready());
            }
            assertThrows(CancellationException.class, () -> mapped.get(GUARD));
            assertThrows(CancellationException.class, iter::next);
            assertThrows(RejectedExecutionException.class, () -> pool.applyAsync(() -> 1L));
            pool.join();
            assertTrue(pool.isTerminated());
            pool.terminate(); // again: harmless
            if (method.equals("spawn")) {
                assertFalse(running.contains(pid()));
                assertTrue(Await.until(() -> running.stream().noneMatch(this::alive), GUARD),
                        "worker JVMs still running after terminate and join: " + running);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "thread"})
    void shutdownNowCancelsAndReturnsTheRunnablesThatNeverStarted(String method) throws Exception {
        String d = dir.toString();
        try (Context ctx = Multiprocessing.getContext(method)) {
            Pool pool = ctx.pool(1);
            AsyncResult<Long> running = pool.applyAsync(() -> reportAndSleep(d, "running"));
            awaitPid("running"); // the worker holds it alone: what comes next waits in the pool's queue
            Runnable executed = (Runnable & java.io.Serializable) () -> {};
            Runnable submitted = (Runnable & java.io.Serializable) () -> {};
            pool.execute(executed);
            java.util.concurrent.Future<?> submittedResult = pool.submit(submitted);
            AsyncResult<Integer> called = pool.submit(() -> 1);

            List<Runnable> never = pool.shutdownNow();
            assertEquals(2, never.size(), never::toString);
            assertTrue(never.contains(executed) && never.contains(submitted), never::toString);
            assertTrue(pool.isShutdown());
            assertThrows(CancellationException.class, () -> running.get(GUARD));
            assertTrue(submittedResult.isCancelled());
            assertTrue(called.isCancelled());
            pool.join();
            assertTrue(pool.isTerminated());
            assertEquals(List.of(), pool.shutdownNow(), "nothing left the second time");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "thread"})
    void closeWaitsForTheSubmittedWork(String method) throws Exception {
        List<AsyncResult<Integer>> applied = new ArrayList<>();
        AsyncResult<List<Integer>> mapped;
        Pool kept;
        try (Context ctx = Multiprocessing.getContext(method)) {
            try (Pool pool = ctx.pool(2)) {
                kept = pool;
                for (int i = 0; i < 6; i++) {
                    int n = i;
                    applied.add(pool.applyAsync(() -> slowSquare(n)));
                }
                mapped = pool.mapAsync(PoolFailureTest::slowSquare, range(8), 1, null, null);
            } // ExecutorService.close(): shut down, then wait (Python's `with` would terminate)
            assertTrue(kept.isTerminated());
            for (int i = 0; i < 6; i++) {
                AsyncResult<Integer> r = applied.get(i);
                assertTrue(r.ready() && r.successful(), "apply " + i + " was dropped: " + r);
                assertEquals(i * i, r.get(Duration.ZERO));
            }
            assertTrue(mapped.ready() && mapped.successful(), mapped::toString);
            assertEquals(range(8).stream().map(x -> x * x).toList(), mapped.get(Duration.ZERO));
        }
    }

    // ================================================================ 5. what cannot be serialized

    @Test
    void whatCannotBeSerializedFailsTheTaskOrIsRefusedAtTheCall() throws Exception {
        try (Context ctx = spawn()) {
            Pool pool = ctx.pool(1);

            // a result that cannot be sent back: that task's failure
            ExecutionException e = assertThrows(ExecutionException.class, () -> pool.apply(() -> new Object()));
            assertInstanceOf(IOException.class, e.getCause());
            assertInstanceOf(java.io.NotSerializableException.class, e.getCause(), () -> e.getCause().toString());
            ExecutionException em = assertThrows(ExecutionException.class,
                    () -> pool.map(x -> x == 2 ? new Object() : x, range(4), 1));
            assertInstanceOf(java.io.NotSerializableException.class, em.getCause());

            // a function or input that cannot be sent: refused at the call
            Object junk = new Object();
            assertThrows(IllegalArgumentException.class, () -> pool.applyAsync(() -> junk.hashCode()));
            assertThrows(IllegalArgumentException.class, () -> pool.map(x -> junk.hashCode() + x, range(3)));
            assertThrows(IllegalArgumentException.class, () -> pool.imap(x -> junk.hashCode() + x, range(3)));
            assertThrows(IllegalArgumentException.class, () -> pool.map(x -> 1, List.of(1, new Object())));
            assertThrows(IllegalArgumentException.class, () -> pool.execute(() -> {}), "a plain Runnable is not serializable");

            // an exception that cannot be sent: a RemoteException copy naming its class
            ExecutionException ex = assertThrows(ExecutionException.class, () -> pool.<Object>apply(() -> {
                throw new Unsendable("cannot travel");
            }));
            RemoteException remote = assertInstanceOf(RemoteException.class, ex.getCause());
            assertEquals(Unsendable.class.getName(), remote.remoteClass());
            assertTrue(remote.getMessage().contains("cannot travel"), remote.getMessage());
            assertTrue(Arrays.stream(remote.getStackTrace()).anyMatch(f -> f.getClassName().startsWith(PoolFailureTest.class.getName())),
                    "the worker's stack trace is kept");

            // none of it hurt the pool
            assertEquals(List.of(0, 1, 4), pool.map(x -> x * x, range(3)));
            pool.shutdown();
            pool.join();
        }
    }

    @Test
    void aThreadPoolSerializesNothing() throws Exception {
        try (Context ctx = Multiprocessing.getContext("thread")) {
            Pool pool = ctx.pool(1);
            Object junk = new Object();
            assertSame(junk, pool.apply(() -> junk));
            Unsendable thrown = new Unsendable("stays itself");
            ExecutionException ex = assertThrows(ExecutionException.class, () -> pool.<Object>apply(() -> {
                throw thrown;
            }));
            assertSame(thrown, ex.getCause());
            pool.shutdown();
            pool.join();
        }
    }

    // ================================================================ 6. imap: broken inputs and timeouts

    /** An input that gives 0, 1, 2, ... and throws {@code failure} when asked for item {@code breakAt}. */
    static Iterable<Integer> breakingInput(int breakAt, RuntimeException failure) {
        return () -> new Iterator<>() {
            int i;

            @Override public boolean hasNext() { return true; }

            @Override public Integer next() {
                if (i == breakAt) throw failure;
                return i++;
            }
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "thread"})
    void imapStopsWhereItsInputBreaks(String method) throws Exception {
        try (Context ctx = Multiprocessing.getContext(method)) {
            Pool pool = ctx.pool(2);
            for (int chunk : new int[] {1, 2, 3}) {
                IllegalStateException failure = new IllegalStateException("input broke at 5");
                // "v" + x takes a null too: a read that failed must not reach the function as a null input
                PoolIterator<String> it = pool.imap(x -> "v" + x, breakingInput(5, failure), chunk);
                for (int i = 0; i < 5; i++) {
                    assertTrue(it.hasNext());
                    assertEquals("v" + i, it.next(), "chunksize " + chunk + ", item " + i);
                }
                assertTrue(it.hasNext(), "the failure is still to come");
                String extra = null;
                CompletionException e = null;
                try {
                    extra = it.next();
                } catch (CompletionException thrown) {
                    e = thrown;
                }
                assertNull(extra, "chunksize " + chunk + ": after item 4 came the result \"" + extra
                        + "\", for an input the iterator never gave (the failed read went to the function as null)");
                assertSame(failure, e.getCause(), "chunksize " + chunk);
                assertFalse(it.hasNext(), "chunksize " + chunk + ": the iteration ended");
                assertThrows(NoSuchElementException.class, it::next);
            }
            // the checked form says the same
            IllegalStateException failure = new IllegalStateException("at once");
            PoolIterator<Integer> it = pool.imap(x -> x, breakingInput(0, failure));
            ExecutionException e = assertThrows(ExecutionException.class, () -> it.next(GUARD));
            assertSame(failure, e.getCause());
            assertThrows(NoSuchElementException.class, () -> it.next(GUARD));
            // and the pool goes on
            assertEquals(List.of(0, 1, 4), pool.map(x -> x * x, range(3)));
            pool.shutdown();
            pool.join();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "thread"})
    void imapNextWithATimeoutThrowsTimeoutExceptionWhileTheTaskRuns(String method) throws Exception {
        String d = dir.toString();
        try (Context ctx = Multiprocessing.getContext(method)) {
            Pool pool = ctx.pool(1);
            PoolIterator<Long> it = pool.imap(x -> reportAndSleep(d, "sleeper" + x), range(2));
            awaitPid("sleeper0");
            assertThrows(TimeoutException.class, () -> it.next(Duration.ofMillis(200)));
            assertThrows(TimeoutException.class, () -> it.next(Duration.ZERO));
            pool.terminate();
            assertThrows(CancellationException.class, it::next, "terminated: the results will never come");
            pool.join();
            assertTrue(pool.isTerminated());
        }
    }

    // ================================================================ 7. closing the context

    @Test
    void closingTheContextTerminatesItsPoolAndLeavesNoWorker() throws Exception {
        String d = dir.toString();
        Set<Long> running = new HashSet<>();
        Context ctx = spawn();
        Pool pool;
        List<AsyncResult<Long>> pending = new ArrayList<>();
        try {
            pool = ctx.pool(2);
            for (int i = 0; i < 3; i++) {
                String name = "c" + i;
                pending.add(pool.applyAsync(() -> reportAndSleep(d, name)));
            }
            assertTrue(Await.until(() -> reported().size() >= 2, GUARD), "two tasks should be running");
            for (String name : reported()) running.add(awaitPid(name));
            assertEquals(2, running.size(), "two workers: " + running);
        } catch (Throwable t) {
            ctx.close();
            throw t;
        }
        ctx.close(); // returns: the pool is terminated, not waited for
        assertTrue(pool.isShutdown());
        assertTrue(pool.isTerminated(), pool::toString);
        for (AsyncResult<Long> r : pending) assertThrows(CancellationException.class, () -> r.get(GUARD));
        assertThrows(RejectedExecutionException.class, () -> pool.applyAsync(() -> 1L));
        assertThrows(IllegalStateException.class, () -> ctx.pool(1), "the context is closed");
        assertTrue(Await.until(() -> running.stream().noneMatch(this::alive), GUARD),
                "worker JVMs still running after the context closed: " + running);
    }
}
