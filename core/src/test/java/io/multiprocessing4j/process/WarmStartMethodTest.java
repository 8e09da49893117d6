package io.multiprocessing4j.process;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.internal.os.ProcessIdentity;
import io.multiprocessing4j.internal.process.ChildMain;
import io.multiprocessing4j.shm.Segment;
import io.multiprocessing4j.testsupport.Await;
import io.multiprocessing4j.testsupport.Children;
import io.multiprocessing4j.testsupport.Jvm;
import io.multiprocessing4j.testsupport.ShmFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/** The {@code warm} start method: children taken from a pool of JVMs started ahead. */
class WarmStartMethodTest {

    /** This JVM's spares (not, say, a child training an AOT cache meanwhile). */
    private static Set<Long> childPids() {
        return ProcessHandle.current().children().filter(h -> h.isAlive() && isSpare(h))
                .map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    private static boolean isSpare(ProcessHandle h) {
        return h.info().arguments().map(a -> List.of(a).contains(ChildMain.SPARE)).orElse(false);
    }

    private static Set<String> shmNames() { return ShmFiles.names(); }

    /** The segments and journals that appeared since {@code before} and that this JVM or its {@code spares} made. */
    private static Set<String> newSegments(Set<String> before, Set<Long> spares) throws java.io.IOException {
        return ShmFiles.madeSince(before, spares);
    }

    @Test
    void aWarmChildIsAJvmStartedBeforeStartWasCalledAndFollowsTheSpawnRules() throws Exception {
        try (Context ctx = Multiprocessing.getContext("warm")) {
            assertEquals(StartMethod.WARM, ctx.startMethod());
            assertTrue(ctx.warmPool().awaitWarm(Await.HANG), "the spare did not warm up");
            Set<Long> spares = childPids();
            Instant before = Instant.now();
            Pipe pipe = ctx.pipe();
            BaseProcess p = ctx.process((io.multiprocessing4j.connection.Connection c) -> {
                c.send(List.of(ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli(),
                        Multiprocessing.currentProcess().name(), Multiprocessing.parentProcess().pid()));
                System.exit(3);
            }, pipe.conn2());
            Children.start(p);
            pipe.conn2().close();
            try {
                assertTrue(spares.contains(p.pid()), "the task went to a fresh JVM, not to the spare " + spares);
                List<?> reply = (List<?>) pipe.conn1().recv();
                assertTrue((Long) reply.get(0) <= before.toEpochMilli(), "the child's JVM started after start()");
                assertEquals(p.name(), reply.get(1));
                assertEquals(ProcessHandle.current().pid(), reply.get(2));
                assertEquals(3, Children.joinCode(p));
            } finally {
                Children.reap(p);
            }
        }
    }

    @Test
    void exceptionsSignalsAndManyChildrenWithoutWaitingForTheSpares() throws Exception {
        try (Context ctx = Multiprocessing.getContext("warm")) {
            ctx.warmPool().setSize(2);
            List<BaseProcess> ps = List.of(
                    ctx.process(a -> { throw new IllegalStateException("expected in this test"); }),
                    ctx.process(a -> Thread.sleep(60_000)),
                    ctx.process(a -> {}),
                    ctx.process(a -> {}));
            try {
                ps.forEach(Children::start); // more than the pool holds, spares still cold: all must run
                ps.get(1).terminate();
                assertEquals(1, Children.joinCode(ps.get(0)));
                assertEquals(-15, Children.joinCode(ps.get(1)));
                assertEquals(0, Children.joinCode(ps.get(2)));
                assertEquals(0, Children.joinCode(ps.get(3)));
            } finally {
                ps.forEach(Children::reap);
            }
        }
    }

    @Test
    void aSpareThatDiesWhileWaitingIsReplaced() throws Exception {
        try (Context ctx = Multiprocessing.getContext("warm")) {
            WarmPool pool = ctx.warmPool();
            assertTrue(pool.awaitWarm(Await.HANG));
            long spare = childPids().iterator().next();
            sigkill(spare);
            assertTrue(Await.until(() -> !ProcessIdentity.of(spare).isAlive(), Await.HANG));
            assertTrue(pool.awaitWarm(Await.HANG), "no new spare after one died");
            assertFalse(childPids().contains(spare), "the dead spare was not reaped");
            BaseProcess p = ctx.process(a -> {});
            try {
                Children.start(p);
                assertNotEquals(spare, p.pid());
                assertEquals(0, Children.joinCode(p));
            } finally {
                Children.reap(p);
            }
        }
    }

    /**
     * A spare's warm-up waits while other processes keep every CPU busy, but not while this
     * process waits for it: awaitWarm gets a warm spare with every CPU taken by spinning threads.
     */
    @Test
    void awaitWarmGetsASpareWhileEveryCpuIsBusy() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean spin = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<Thread> spinners = new java.util.ArrayList<>();
        try (Context ctx = Multiprocessing.getContext("warm")) {
            for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
                spinners.add(Thread.ofPlatform().daemon().start(() -> {
                    while (spin.get()) Thread.onSpinWait();
                }));
            }
            assertTrue(ctx.warmPool().awaitWarm(Await.HANG), "no warm spare while the CPUs were busy");
            BaseProcess p = ctx.process(a -> {});
            try {
                Children.start(p);
                assertEquals(0, Children.joinCode(p));
            } finally {
                Children.reap(p);
            }
        } finally {
            spin.set(false);
            for (Thread t : spinners) t.join();
        }
    }

    private static void sigkill(long pid) throws Exception {
        io.multiprocessing4j.internal.os.Native.kill(pid, io.multiprocessing4j.internal.os.Native.SIGKILL);
    }

    /** A JVM option that stops every JVM: the pool gives up after a few spares, it does not start one after another. */
    @Test
    void sparesThatCannotStartStopTheRefillInsteadOfLooping() throws Exception {
        try (Context ctx = Multiprocessing.getContext("warm").withJvmOptions("-XX:+NoSuchOptionForMultiprocessing4j")) {
            WarmPool pool = ctx.warmPool();
            assertFalse(assertTimeoutPreemptively(Await.HANG, () -> pool.awaitWarm(Duration.ofMinutes(10))),
                    "spares with a bad JVM option cannot warm up");
            assertTrue(childPids().isEmpty(), "the pool went on starting spares: " + childPids());
        }
    }

    @Test
    void closingTheContextStopsItsSparesAndLeavesNothing() throws Exception {
        Set<String> shmBefore = shmNames();
        Set<Long> spares;
        try (Context ctx = Multiprocessing.getContext("warm")) {
            ctx.warmPool().setSize(2);
            assertTrue(ctx.warmPool().awaitWarm(Await.HANG));
            spares = childPids();
            assertEquals(2, spares.size(), "two spares, nothing else: " + spares);
            assertThrows(IllegalArgumentException.class, () -> ctx.warmPool().setSize(-1));
            assertThrows(IllegalArgumentException.class, () -> ctx.warmPool().setSize(WarmPool.MAX_SIZE + 1));
        }
        assertTrue(Await.until(() -> spares.stream().noneMatch(pid -> ProcessIdentity.of(pid).isAlive()), Await.HANG),
                "spares outlived their context");
        assertTrue(childPids().isEmpty(), "spares outlived their context: " + childPids());
        Set<String> left = newSegments(shmBefore, spares);
        assertEquals(Set.of(), left, "shared memory left by the spares or the pool");
        assertThrows(IllegalStateException.class, () -> Multiprocessing.getContext("spawn").warmPool());
    }

    /** Closed while its spares are still warming up (their warm-up has shared memory of its own). */
    @Test
    void closingInTheMiddleOfTheWarmUpLeavesNothing() throws Exception {
        Set<String> shmBefore = shmNames();
        Set<Long> spares;
        try (Context ctx = Multiprocessing.getContext("warm")) {
            ctx.warmPool().setSize(2);
            assertTrue(Await.until(() -> childPids().size() == 2, Await.HANG), "the spares did not start");
            spares = childPids();
            // a spare's warm-up has begun once it has made shared memory of its own
            assertTrue(Await.until(() -> shmNames().stream()
                    .anyMatch(n -> spares.stream().anyMatch(pid -> n.startsWith("mp4j-owner-" + pid + "-"))), Await.HANG),
                    "no spare began its warm-up");
        }
        assertTrue(spares.stream().noneMatch(pid -> ProcessIdentity.of(pid).isAlive()), "spares outlived their context");
        Set<String> left = newSegments(shmBefore, spares);
        assertEquals(Set.of(), left, "shared memory left by spares stopped while warming up");
    }

    @Test
    void sparesEndWhenTheirParentIsSigkilled(@TempDir Path dir) throws Exception {
        List<ProcessIdentity> spares = List.of();
        try (Jvm parent = Jvm.start(SpareParent.class, dir.resolve("stderr"))) {
            parent.awaitLine("READY", Await.HANG);
            spares = ProcessHandle.of(parent.pid()).orElseThrow().children()
                    .filter(WarmStartMethodTest::isSpare)
                    .map(h -> ProcessIdentity.of(h.pid())).toList();
            assertEquals(2, spares.size(), parent.stderr());
            parent.sigkill();
            for (ProcessIdentity s : spares) {
                assertTrue(Await.until(() -> !s.isAlive(), Await.HANG), "spare " + s.pid() + " outlived its SIGKILLed parent");
            }
            // The killed parent's pool segment is left for the sweep, as anything a SIGKILLed owner made.
            Multiprocessing.sweep();
            try (var ds = Files.newDirectoryStream(Segment.directory(), "mp4j-owner-" + parent.pid() + "-*")) {
                assertFalse(ds.iterator().hasNext(), "the sweep left the killed parent's journal");
            }
        } finally {
            for (ProcessIdentity s : spares) if (s.isAlive()) ProcessHandle.of(s.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Intermediate JVM: a warm context with two spares, then it waits to be killed. */
    public static final class SpareParent {
        public static void main(String[] args) throws Exception {
            Context ctx = Multiprocessing.getContext("warm");
            ctx.warmPool().setSize(2).awaitWarm(Await.HANG);
            System.out.println("READY");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
