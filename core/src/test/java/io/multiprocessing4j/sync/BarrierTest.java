package io.multiprocessing4j.sync;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.shm.Segment;
import io.multiprocessing4j.testsupport.Await;
import io.multiprocessing4j.testsupport.Children;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import static io.multiprocessing4j.testsupport.Await.HANG;
import static io.multiprocessing4j.testsupport.Await.eventually;
import static io.multiprocessing4j.testsupport.Children.spawnAlike;
import static org.junit.jupiter.api.Assertions.*;

class BarrierTest {

    @Test
    void partiesMustBePositive() {
        try (Context ctx = spawnAlike()) {
            assertThrows(IllegalArgumentException.class, () -> ctx.barrier(0));
            assertThrows(IllegalArgumentException.class, () -> ctx.barrier(-3));
        }
    }

    /**
     * Three JVMs (the test and two children) pass a barrier 50 times; in every cycle the
     * indices are 0, 1, 2 once each, and the action runs once (it counts in shared memory).
     */
    @Test
    void indicesAreUniqueAndTheActionRunsOncePerCycleAcrossProcesses() throws Exception {
        try (Context ctx = spawnAlike(); Segment seg = ctx.createSegment(64 * 64)) {
            int cycles = 50;
            String name = seg.name();
            Barrier b = ctx.barrier(3, () -> {
                try (Segment s = Segment.attach(name)) {
                    s.memory().set(ValueLayout.JAVA_INT, 0, s.memory().get(ValueLayout.JAVA_INT, 0) + 1);
                }
            }, HANG);
            // each party records its index per cycle as a bit in cycle's word: 3 bits set = 0b111
            List<BaseProcess> ps = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                BaseProcess p = ctx.process((Barrier bb, String n) -> pass(bb, n, cycles), b, name);
                p.start();
                ps.add(p);
            }
            pass(b, name, cycles);
            for (BaseProcess p : ps) Children.joinOk(p);
            var m = seg.memory();
            assertEquals(cycles, m.get(ValueLayout.JAVA_INT, 0), "one action per cycle");
            for (int c = 0; c < cycles; c++) assertEquals(0b111, m.get(ValueLayout.JAVA_INT, 4L * (c + 1)), "cycle " + c);
            assertEquals(0, b.nWaiting());
            assertFalse(b.isBroken());
        }
    }

    static void pass(Barrier b, String name, int cycles) throws Exception {
        try (Segment s = Segment.attach(name)) {
            var m = s.memory();
            for (int c = 0; c < cycles; c++) {
                int index = b.await();
                int bit = 1 << index;
                int old = (int) ValueLayout.JAVA_INT.varHandle().getAndBitwiseOr(m, 4L * (c + 1), bit);
                if ((old & bit) != 0) throw new AssertionError("index " + index + " twice in cycle " + c);
            }
        }
    }

    @Test
    void aTimeoutBreaksTheBarrierForEveryone() throws Exception {
        try (Context ctx = spawnAlike()) {
            Barrier b = ctx.barrier(3);
            Callable<Throwable> waitLong = () -> catchFrom(() -> b.await(HANG));
            Callable<Throwable> waitShort = () -> {
                eventually(() -> b.nWaiting() == 1, "the other waits");
                return catchFrom(() -> b.await(Duration.ofMillis(50)));
            };
            List<Throwable> outcomes = Await.concurrently(List.of(waitLong, waitShort));
            assertInstanceOf(BrokenBarrierException.class, outcomes.get(0));
            assertInstanceOf(BrokenBarrierException.class, outcomes.get(1));
            assertInstanceOf(TimeoutException.class, outcomes.get(1).getCause());
            assertTrue(b.isBroken());
            assertThrows(BrokenBarrierException.class, () -> b.await(HANG), "broken until reset");
            b.reset();
            assertFalse(b.isBroken());
        }
    }

    @Test
    void resetBreaksCurrentWaitersAndLeavesTheBarrierUsable() throws Exception {
        try (Context ctx = spawnAlike()) {
            Barrier b = ctx.barrier(2);
            Thread[] t = new Thread[1];
            Throwable[] got = new Throwable[1];
            t[0] = Thread.ofPlatform().start(() -> got[0] = catchFrom(() -> b.await(HANG)));
            eventually(() -> b.nWaiting() == 1, "one waits");
            b.reset();
            t[0].join(HANG);
            assertInstanceOf(BrokenBarrierException.class, got[0]);
            assertFalse(b.isBroken());
            List<Integer> idx = Await.concurrently(List.of(() -> b.await(HANG), () -> b.await(HANG)));
            assertEquals(Set.of(0, 1), new HashSet<>(idx));
        }
    }

    @Test
    void abortBreaksItUntilReset() throws Exception {
        try (Context ctx = spawnAlike()) {
            Barrier b = ctx.barrier(2);
            b.abort();
            assertTrue(b.isBroken());
            assertThrows(BrokenBarrierException.class, b::await);
            b.reset();
            assertEquals(2, b.parties());
        }
    }

    @Test
    void anActionThatThrowsReachesItsThreadAndBreaksTheOthers() throws Exception {
        try (Context ctx = spawnAlike()) {
            Barrier b = ctx.barrier(2, () -> {
                throw new IllegalStateException("boom");
            }, null);
            List<Throwable> outcomes = Await.concurrently(List.of(
                    () -> catchFrom(() -> b.await(HANG)), () -> catchFrom(() -> b.await(HANG))));
            long boom = outcomes.stream().filter(t -> t instanceof IllegalStateException && "boom".equals(t.getMessage())).count();
            long broken = outcomes.stream().filter(t -> t instanceof BrokenBarrierException).count();
            assertEquals(1, boom);
            assertEquals(1, broken);
            assertTrue(b.isBroken());
        }
    }

    @Test
    void anInterruptBreaksTheBarrier() throws Exception {
        try (Context ctx = spawnAlike()) {
            Barrier b = ctx.barrier(2);
            Throwable[] got = new Throwable[1];
            Thread t = Thread.ofPlatform().start(() -> got[0] = catchFrom(() -> b.await(HANG)));
            eventually(() -> b.nWaiting() == 1, "it waits");
            t.interrupt();
            t.join(HANG);
            assertInstanceOf(InterruptedException.class, got[0]);
            assertTrue(b.isBroken());
        }
    }

    interface Body {
        Object run() throws Exception;
    }

    static Throwable catchFrom(Body body) {
        try {
            body.run();
            return null;
        } catch (Throwable t) {
            return t instanceof ExecutionException ? t.getCause() : t;
        }
    }
}
