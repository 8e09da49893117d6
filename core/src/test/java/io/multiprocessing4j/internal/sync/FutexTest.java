package io.multiprocessing4j.internal.sync;


import io.multiprocessing4j.Context;
import io.multiprocessing4j.function.SerializableBiConsumer;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.shm.Segment;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static io.multiprocessing4j.testsupport.Children.joinOk;
import static io.multiprocessing4j.testsupport.Children.spawnAlike;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Bells ({@link Futex#sleepOnBell}, {@link Futex#wakeBell}): a sleeper is woken by the next
 * ring whatever the bell's count and the recorded value slept on, across the wrap of the
 * 32-bit count. A lost wake-up would show as a sleep that ran out its slice although the bell
 * had moved ({@link Futex#missedWakeups}).
 */
class FutexTest {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    // a bell, its sleepers' count and the value they slept on; a second bell a cache line on
    private static final long BELL = 0, WAITERS = 4, SLEPT_ON = 8, BELL2 = 64, WAITERS2 = 68, SLEPT_ON2 = 72;
    private static final long LONG_WAIT = 30_000_000_000L; // a guard: the next ring ends every sleep

    @Test
    void aBellWakesItsSleeperWhereverItsCountStands() throws Exception {
        int[][] cases = {
                {0, 0},                                      // a new bell
                {100, 40},                                   // sleepers slept on older values
                {Integer.MAX_VALUE, Integer.MAX_VALUE - 10}, // the ring wraps the count
                {-1, -7},
                {1000, 1000 - Integer.MIN_VALUE},            // slept-on exactly 2^31 behind: looks older
                {1000, 1000 - Integer.MIN_VALUE - 5},        // more than 2^31 behind: looks newer
        };
        for (int[] c : cases) {
            int bell = c[0], sleptOn = c[1];
            long missed = Futex.missedWakeups();
            MemorySegment m = Arena.ofAuto().allocate(128, 64);
            INT.setVolatile(m, BELL, bell);
            INT.setVolatile(m, SLEPT_ON, sleptOn);
            Thread sleeper = Thread.ofPlatform().start(() -> awaitRing(m, BELL, WAITERS, SLEPT_ON, bell));
            while ((int) INT.getVolatile(m, WAITERS) == 0) Thread.onSpinWait();
            ring(m, BELL, WAITERS, SLEPT_ON);
            sleeper.join();
            assertEquals(missed, Futex.missedWakeups(), () -> "bell " + bell + ", slept on " + sleptOn);
            assertEquals(0, (int) INT.getVolatile(m, WAITERS));
        }
    }

    /** Two JVMs, never spinning: each waits on one bell and rings the other, 20,000 times. */
    @Test
    void bellsPassTheTurnBetweenJvmsWithoutMissingAWakeUp() throws Exception {
        int rounds = 20_000;
        try (Context ctx = spawnAlike(); Segment seg = ctx.createSegment(128)) {
            SerializableBiConsumer<String, Integer> pong = (name, n) -> {
                // linked before the first ring: linking takes tens of milliseconds in a new JVM,
                // and the parent's sleep could run out its slice meanwhile and count as missed
                assertTrue(Futex.isNative() || !"true".equals(System.getProperty("mp4j.futex", "true")));
                try (Segment s = Segment.attach(name)) {
                    volley(s.memory(), n, false);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
                if (Futex.missedWakeups() != 0) throw new AssertionError(Futex.missedWakeups() + " wake-ups missed");
            };
            BaseProcess child = ctx.process(pong, seg.name(), rounds);
            child.setDaemon(true); // a failed volley leaves it waiting: closing the context ends it
            child.start();
            volley(seg.memory(), rounds, true);
            joinOk(child);
            assertEquals(rounds, (int) INT.getVolatile(seg.memory(), BELL));
            assertEquals(rounds, (int) INT.getVolatile(seg.memory(), BELL2));
        }
    }

    /**
     * The server rings the first bell and waits on the second; the other side the reverse.
     * Stops at the first missed wake-up (each would cost a whole slice). Counted from the
     * second round: in the first, the server sleeps slice after slice while the other JVM
     * starts, and a ring that comes as one slice runs out is counted as missed, though it
     * was only late.
     */
    private static void volley(MemorySegment m, int rounds, boolean serves) {
        long missed = 0;
        for (int i = 0; i < rounds; i++) {
            if (i == 1) missed = Futex.missedWakeups();
            if (i > 1 && Futex.missedWakeups() != missed) throw new AssertionError("a wake-up missed before round " + i);
            if (serves) {
                ring(m, BELL, WAITERS, SLEPT_ON);
                awaitRing(m, BELL2, WAITERS2, SLEPT_ON2, i);
            } else {
                awaitRing(m, BELL, WAITERS, SLEPT_ON, i);
                ring(m, BELL2, WAITERS2, SLEPT_ON2);
            }
        }
        if (rounds > 1 && Futex.missedWakeups() != missed) throw new AssertionError("a wake-up missed in the last round");
    }

    private static void ring(MemorySegment m, long bell, long waiters, long sleptOn) {
        int rung = (int) INT.getAndAdd(m, bell, 1);
        Futex.wakeBell(m, bell, waiters, sleptOn, rung);
    }

    /** Sleeps until the bell has moved from {@code from}. */
    private static void awaitRing(MemorySegment m, long bell, long waiters, long sleptOn, int from) {
        try {
            for (int round = 0; (int) INT.getVolatile(m, bell) == from; round++) {
                Futex.sleepOnBell(m, bell, waiters, sleptOn, from, LONG_WAIT, round);
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
