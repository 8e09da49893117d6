package io.multiprocessing4j;

import io.multiprocessing4j.internal.os.Timeouts;
import io.multiprocessing4j.internal.sync.ShmBarrier;

import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Connections;
import io.multiprocessing4j.connection.Client;
import io.multiprocessing4j.connection.Listener;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.pool.AsyncResult;
import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.pool.PoolIterator;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.process.ProcessTesting;
import io.multiprocessing4j.queues.Empty;
import io.multiprocessing4j.queues.Full;
import io.multiprocessing4j.queues.JoinableQueue;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.sync.Barrier;
import io.multiprocessing4j.sync.Condition;
import io.multiprocessing4j.sync.Event;
import io.multiprocessing4j.sync.Lock;
import io.multiprocessing4j.sync.Semaphore;
import io.multiprocessing4j.testsupport.Children;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import io.multiprocessing4j.managers.ManagerServer;
import io.multiprocessing4j.managers.SyncManager;

import java.time.Duration;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every public method that takes a timeout (a {@link Duration}, or a {@code long} and a
 * {@link TimeUnit}) takes any value: one too long for a {@code long} of nanoseconds is no
 * limit, a negative one is zero. A wait that is satisfied returns its result whatever the
 * timeout; one that is not returns its timeout outcome at once for zero or a negative one.
 * {@link #everyPublicMethodWithATimeoutIsHere()} keeps the list complete.
 */
class TimeoutArgumentTest {
    static final List<Duration> HUGE = List.of(Duration.ofSeconds(Long.MAX_VALUE), Duration.ofNanos(Long.MAX_VALUE),
            Duration.ofSeconds(Long.MAX_VALUE, 999_999_999));
    static final List<Duration> NOT_POSITIVE = List.of(Duration.ZERO, Duration.ofNanos(-1), Duration.ofSeconds(Long.MIN_VALUE));

    static Context ctx, threads;
    static Pool pool, stuckPool, endedPool; // stuckPool: the tasks that wait for GATE, so that pool's workers stay free
    static List<Case> cases;
    static BaseProcess ended, running;
    static Event stop, set, unset;
    static Lock free, held;
    static Thread holder;
    static final CountDownLatch GATE = new CountDownLatch(1), HELD = new CountDownLatch(1);
    static Pipe full, quiet;
    static Listener listener;
    static Connection socketWithData, socketQuiet, peer1, peer2;

    @BeforeAll
    static void open() throws Exception {
        ctx = Multiprocessing.getContext("spawn");
        threads = Multiprocessing.getContext("thread");
        pool = threads.pool(2);
        stuckPool = threads.pool(1);
        endedPool = threads.pool(1);
        endedPool.shutdown();
        endedPool.join();
        ended = Children.start(ctx.process(() -> {}));
        assertEquals(0, Children.joinCode(ended));
        stop = ctx.event();
        Event s = stop;
        running = Children.start(threads.process(() -> s.await()));
        set = ctx.event();
        set.set();
        unset = ctx.event();
        free = ctx.lock();
        held = ctx.lock();
        holder = Thread.ofPlatform().start(() -> {
            held.lock();
            HELD.countDown();
            try { GATE.await(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            held.release();
        });
        HELD.await();
        full = ctx.pipe();
        full.conn1().sendBytes(new byte[] {1});
        quiet = ctx.pipe();
        listener = new Listener();
        peer1 = Client.connect(listener.address());
        socketWithData = listener.accept();
        peer2 = Client.connect(listener.address());
        socketQuiet = listener.accept();
        peer1.sendBytes(new byte[] {1});
    }

    @AfterAll
    static void close() throws Exception {
        GATE.countDown();
        stop.set();
        if (holder != null) holder.join();
        if (running != null) Children.joinCode(running);
        for (AutoCloseable c : new AutoCloseable[] {peer1, peer2, socketWithData, socketQuiet, listener}) if (c != null) c.close();
        for (Pool p : new Pool[] {pool, stuckPool}) if (p != null) p.terminate();
        threads.close();
        synchronized (TimeoutArgumentTest.class) {
            if (manager != null) manager.close();
        }
        ctx.close();
    }

    @FunctionalInterface
    interface Call {
        void run(Duration timeout) throws Exception;
    }

    /** A method (and the signatures it stands for), called on an object whose wait is satisfied and on one whose is not. */
    record Case(String name, List<String> covers, Call satisfied, Call unsatisfied, boolean satisfiedForAnyTimeout) {
        @Override public String toString() { return name; }
    }

    static Case c(String signature, Call satisfied, Call unsatisfied) {
        return new Case(signature, List.of(signature), satisfied, unsatisfied, true);
    }

    /** A wait that only a positive timeout can satisfy (a signal needs a waiter; a task needs time to run). */
    static Case positiveOnly(String signature, Call satisfied, Call unsatisfied) {
        return new Case(signature, List.of(signature), satisfied, unsatisfied, false);
    }

    /** The {@code long, TimeUnit} form of a duration: whole seconds in SECONDS, else nanoseconds when they fit. */
    static long time(Duration d) {
        if (d.getNano() == 0) return d.getSeconds();
        try { return d.toNanos(); } catch (ArithmeticException e) { return d.getSeconds(); }
    }

    static TimeUnit unit(Duration d) {
        if (d.getNano() == 0) return TimeUnit.SECONDS;
        try { d.toNanos(); return TimeUnit.NANOSECONDS; } catch (ArithmeticException e) { return TimeUnit.SECONDS; }
    }

    static Integer blocked() throws InterruptedException {
        GATE.await();
        return 0;
    }

    static SyncManager manager;

    /** A manager, started on first use (its server is a child JVM) and shut down with the context. */
    static synchronized SyncManager manager() throws java.io.IOException {
        if (manager == null) manager = ctx.manager();
        return manager;
    }

    static synchronized List<Case> cases() {
        if (cases == null) cases = makeCases();
        return cases;
    }

    private static List<Case> makeCases() {
        Barrier one = ctx.barrier(1);
        Semaphore permit = ctx.semaphore(1), none = ctx.semaphore(0);
        Condition cond = ctx.condition();
        JoinableQueue<String> idle = ctx.joinableQueue(), busy = ctx.joinableQueue();
        assertTrue(busy.offer("unfinished"));
        AsyncResult<Integer> ready = pool.applyAsync(() -> 42), waiting = stuckPool.applyAsync(TimeoutArgumentTest::blocked);
        List<Callable<Integer>> quick = List.of(() -> 1, () -> 2), stuck = List.of(TimeoutArgumentTest::blocked);
        return List.of(
                c("BaseProcess.join(Duration)", d -> assertTrue(ended.join(d)), d -> assertFalse(running.join(d))),
                c("ParentProcess.join(Duration)", d -> assertTrue(ProcessTesting.endedParent().join(d)),
                        d -> assertFalse(ProcessTesting.liveParent().join(d))),
                c("WarmPool.awaitWarm(Duration)", d -> {
                    try (Context warm = Multiprocessing.getContext("warm")) {
                        assertTrue(warm.warmPool().setSize(0).awaitWarm(d), "no spare to wait for");
                    }
                }, d -> {
                    try (Context warm = Multiprocessing.getContext("warm")) {
                        assertFalse(warm.warmPool().awaitWarm(d), "a spare only just started cannot be warm");
                    }
                }),
                c("Queue.put(Object,boolean,Duration)", d -> {
                    Queue<Integer> q = ctx.queue(1);
                    q.put(1, true, d);
                    assertEquals(1, q.getNowait());
                }, d -> {
                    Queue<Integer> q = filled();
                    assertThrows(Full.class, () -> q.put(2, true, d));
                }),
                c("Queue.get(boolean,Duration)", d -> assertEquals(1, filled().get(true, d)),
                        d -> assertThrows(Empty.class, () -> ctx.queue(1).get(true, d))),
                c("Queue.offer(Object,long,TimeUnit)", d -> {
                    Queue<Integer> q = ctx.queue(1);
                    assertTrue(q.offer(1, time(d), unit(d)));
                    assertEquals(1, q.getNowait());
                }, d -> assertFalse(filled().offer(2, time(d), unit(d)))),
                c("Queue.poll(long,TimeUnit)", d -> assertEquals(1, filled().poll(time(d), unit(d))),
                        d -> assertNull(ctx.queue(1).poll(time(d), unit(d)))),
                c("JoinableQueue.join(Duration)", d -> assertTrue(idle.join(d)), d -> assertFalse(busy.join(d))),
                c("Lock.acquire(boolean,Duration)", d -> {
                    assertTrue(free.acquire(true, d));
                    free.release();
                }, d -> assertFalse(held.acquire(true, d))),
                c("Lock.tryLock(long,TimeUnit)", d -> {
                    assertTrue(free.tryLock(time(d), unit(d)));
                    free.unlock();
                }, d -> assertFalse(held.tryLock(time(d), unit(d)))),
                c("Semaphore.acquire(boolean,Duration)", d -> {
                    assertTrue(permit.acquire(true, d));
                    permit.release();
                }, d -> assertFalse(none.acquire(true, d))),
                c("Semaphore.tryAcquire(Duration)", d -> {
                    assertTrue(permit.tryAcquire(d));
                    permit.release();
                }, d -> assertFalse(none.tryAcquire(d))),
                c("Event.await(Duration)", d -> assertTrue(set.await(d)), d -> assertFalse(unset.await(d))),
                positiveOnly("Condition.await(Duration)", d -> signalled(cond, () -> assertTrue(cond.await(d))),
                        d -> holding(cond, () -> assertFalse(cond.await(d)))),
                positiveOnly("Condition.await(long,TimeUnit)", d -> signalled(cond, () -> assertTrue(cond.await(time(d), unit(d)))),
                        d -> holding(cond, () -> assertFalse(cond.await(time(d), unit(d))))),
                c("Condition.waitFor(BooleanSupplier,Duration)", d -> holding(cond, () -> assertTrue(cond.waitFor(() -> true, d))),
                        d -> holding(cond, () -> assertFalse(cond.waitFor(() -> false, d)))),
                c("Barrier.await(Duration)", d -> assertEquals(0, one.await(d)), d -> assertBreaks(ctx.barrier(2), b -> b.await(d))),
                c("ShmBarrier.create(Heap,int,SerializableRunnable,Duration)", d -> assertEquals(0, ShmBarrier.create(ctx.heap(), 1, null, d).await()),
                        d -> assertBreaks(ShmBarrier.create(ctx.heap(), 2, null, d), Barrier::await)),
                c("Multiprocessing.attachBarrier(Handle,SerializableRunnable,Duration)",
                        d -> assertEquals(0, Multiprocessing.attachBarrier(Multiprocessing.handle(ctx.barrier(1)), null, d).await()),
                        d -> assertBreaks(Multiprocessing.attachBarrier(Multiprocessing.handle(ctx.barrier(2)), null, d), Barrier::await)),
                c("Context.barrier(int,SerializableRunnable,Duration)", d -> assertEquals(0, ctx.barrier(1, null, d).await()),
                        d -> assertBreaks(ctx.barrier(2, null, d), Barrier::await)),
                c("SyncManager.barrier(int,SerializableRunnable,Duration)", d -> assertEquals(0, manager().barrier(1, null, d).await()),
                        d -> assertBreaks(manager().barrier(2, null, d), Barrier::await)),
                c("ManagerServer.awaitShutdown(Duration)", d -> {
                    ManagerServer s = Multiprocessing.baseManager(null, null).getServer();
                    s.shutdown();
                    assertTrue(s.awaitShutdown(d));
                }, d -> assertFalse(Multiprocessing.baseManager(null, null).getServer().awaitShutdown(d))),
                c("AsyncResult.get(Duration)", d -> assertEquals(42, ready.get(d)), d -> assertThrows(TimeoutException.class, () -> waiting.get(d))),
                c("AsyncResult.get(long,TimeUnit)", d -> assertEquals(42, ready.get(time(d), unit(d))),
                        d -> assertThrows(TimeoutException.class, () -> waiting.get(time(d), unit(d)))),
                c("AsyncResult.await(Duration)", d -> assertTrue(ready.await(d)), d -> assertFalse(waiting.await(d))),
                c("PoolIterator.next(Duration)", d -> {
                    PoolIterator<Integer> it = pool.imap((Integer x) -> x * 10, List.of(1, 2), 2);
                    assertEquals(10, it.next()); // the chunk holds both: the second is ready
                    assertEquals(20, it.next(d));
                }, d -> {
                    PoolIterator<Integer> it = stuckPool.imap((Integer x) -> blocked(), List.of(1));
                    assertThrows(TimeoutException.class, () -> it.next(d));
                }),
                positiveOnly("Pool.invokeAll(Collection,long,TimeUnit)", d -> {
                    List<Future<Integer>> fs = pool.invokeAll(quick, time(d), unit(d));
                    assertEquals(List.of(1, 2), fs.stream().map(f -> f.resultNow()).toList());
                }, d -> {
                    List<Future<Integer>> fs = stuckPool.invokeAll(stuck, time(d), unit(d));
                    assertTrue(fs.getFirst().isCancelled(), "the task not done in time is cancelled");
                }),
                positiveOnly("Pool.invokeAny(Collection,long,TimeUnit)",
                        d -> assertTrue(Set.of(1, 2).contains(pool.invokeAny(quick, time(d), unit(d)))),
                        d -> assertThrows(TimeoutException.class, () -> stuckPool.invokeAny(stuck, time(d), unit(d)))),
                c("Pool.awaitTermination(long,TimeUnit)", d -> assertTrue(endedPool.awaitTermination(time(d), unit(d))),
                        d -> assertFalse(pool.awaitTermination(time(d), unit(d)))),
                new Case("PipeConnection.poll(Duration)", List.of("PipeConnection.poll(Duration)", "Connection.poll(Duration)"),
                        d -> assertTrue(full.conn2().poll(d)), d -> assertFalse(quiet.conn2().poll(d)), true),
                c("SocketConnection.poll(Duration)", d -> assertTrue(socketWithData.poll(d)), d -> assertFalse(socketQuiet.poll(d))),
                c("Connections.wait(Collection,Duration)", d -> assertEquals(List.of(full.conn2()), Connections.wait(List.of(full.conn2(), quiet.conn2()), d)),
                        d -> assertEquals(List.of(), Connections.wait(List.of(quiet.conn2(), socketQuiet), d))),
                c("Listener.accept(Duration)", d -> {
                    try (Connection client = Client.connect(listener.address()); Connection c = listener.accept(d)) {
                        assertNotNull(c, "a peer was waiting");
                    }
                }, d -> assertNull(listener.accept(d))));
    }

    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /** A new queue of one item, full: a queue per call, so that a failed call leaves nothing for the next. */
    static Queue<Integer> filled() {
        Queue<Integer> q = ctx.queue(1);
        q.putNowait(1);
        return q;
    }

    /** Runs {@code body} holding the condition's lock. */
    static void holding(Condition cond, Body body) throws Exception {
        cond.lock().acquire();
        try {
            body.run();
        } finally {
            cond.lock().release();
        }
    }

    /** Runs {@code body} holding the condition's lock while another thread signals it until the body returns. */
    static void signalled(Condition cond, Body body) throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        Thread signaller = Thread.ofPlatform().start(() -> {
            try {
                while (!done.get()) {
                    cond.lock().acquire();
                    try { cond.signalAll(); } finally { cond.lock().release(); }
                    Thread.sleep(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            holding(cond, body);
        } finally {
            done.set(true);
            signaller.join();
        }
    }

    @FunctionalInterface
    interface BarrierWait {
        int await(Barrier b) throws Exception;
    }

    /** A barrier that nobody else reaches breaks at once, its exception caused by a timeout. */
    static void assertBreaks(Barrier b, BarrierWait w) {
        BrokenBarrierException e = assertThrows(BrokenBarrierException.class, () -> w.await(b));
        assertInstanceOf(TimeoutException.class, e.getCause());
    }

    static Stream<Arguments> satisfied() {
        return cases().stream().flatMap(c -> Stream.concat(HUGE.stream(), c.satisfiedForAnyTimeout() ? NOT_POSITIVE.stream() : Stream.empty())
                .map(d -> Arguments.of(c, d)));
    }

    static Stream<Arguments> unsatisfied() {
        return cases().stream().flatMap(c -> NOT_POSITIVE.stream().map(d -> Arguments.of(c, d)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("satisfied")
    void aSatisfiedWaitReturnsItsResultWhateverTheTimeout(Case c, Duration timeout) throws Exception {
        c.satisfied().run(timeout);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("unsatisfied")
    void anUnsatisfiedWaitWithAZeroOrNegativeTimeoutReturnsItsTimeoutOutcome(Case c, Duration timeout) throws Exception {
        c.unsatisfied().run(timeout);
    }

    /** The JDK Condition's other forms: a deadline as a Date (far past or far future) and a count of nanoseconds. */
    @Test
    void conditionDeadlinesAtTheEndsOfTheirRanges() throws Exception {
        Condition cond = ctx.condition();
        holding(cond, () -> {
            assertFalse(cond.awaitUntil(new Date(Long.MIN_VALUE)), "a deadline long past: at once");
            assertTrue(cond.awaitNanos(Long.MIN_VALUE) <= 0);
        });
        signalled(cond, () -> assertTrue(cond.awaitUntil(new Date(Long.MAX_VALUE))));
        signalled(cond, () -> assertTrue(cond.awaitNanos(Long.MAX_VALUE) > 0));
    }

    @Test
    void theOneConversionSaturatesAndTakesNegativeAsZero() {
        assertEquals(-1, Timeouts.nanos(null), "no limit");
        assertEquals(0, Timeouts.nanos(Duration.ofNanos(-1)));
        assertEquals(0, Timeouts.nanos(Duration.ofSeconds(Long.MIN_VALUE)));
        assertEquals(Long.MAX_VALUE, Timeouts.nanos(Duration.ofSeconds(Long.MAX_VALUE)));
        assertEquals(1_500_000_000L, Timeouts.nanos(Duration.ofMillis(1500)));
        assertEquals(0, Timeouts.nanos(Long.MIN_VALUE, TimeUnit.DAYS));
        assertEquals(Long.MAX_VALUE, Timeouts.nanos(Long.MAX_VALUE, TimeUnit.SECONDS));
        assertEquals(Long.MAX_VALUE, Timeouts.deadline(Long.MAX_VALUE), "too far to reach: no limit");
        assertEquals(Long.MAX_VALUE, Timeouts.deadline(-1));
        assertEquals(Long.MAX_VALUE, Timeouts.remaining(Timeouts.deadline(Long.MAX_VALUE - 1)));
        assertEquals(0, Timeouts.remaining(Timeouts.deadline(0)));
        long d = Timeouts.deadline(3_600_000_000_000L);
        assertTrue(d != Long.MAX_VALUE && Timeouts.remaining(d) > 0 && Timeouts.remaining(d) <= 3_600_000_000_000L);
    }

    /** Scans the library's classes: a new method with a timeout must get a case above. */
    @Test
    void everyPublicMethodWithATimeoutIsHere() throws Exception {
        Path root = Path.of(Context.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class") && !p.endsWith("module-info.class")).toList()) {
                String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, Context.class.getClassLoader());
                if (!Modifier.isPublic(type.getModifiers()) || name.contains(".internal.")) continue; // the API: what users call
                for (Method m : type.getDeclaredMethods()) {
                    if (!Modifier.isPublic(m.getModifiers()) || m.isSynthetic() || m.isBridge()) continue;
                    if (Arrays.stream(m.getParameterTypes()).anyMatch(t -> t == Duration.class || t == TimeUnit.class)) {
                        found.add(type.getSimpleName() + "." + m.getName() + Arrays.stream(m.getParameterTypes())
                                .map(Class::getSimpleName).collect(Collectors.joining(",", "(", ")")));
                    }
                }
            }
        }
        Set<String> covered = cases().stream().flatMap(c -> c.covers().stream()).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(found.size() > 20, "the scan found too little: " + found);
        Set<String> missing = new TreeSet<>(found);
        missing.removeAll(covered);
        assertEquals(Set.of(), missing, "public methods with a timeout that this test does not call");
    }
}
