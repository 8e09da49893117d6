package io.multiprocessing4j.distributed;

import io.multiprocessing4j.sharedctypes.Value;
import io.multiprocessing4j.sync.Barrier;
import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Python's Barrier rules across JVMs: cycles, arrival indices, the action, abort, reset, timeouts. */
class BarrierTest extends ServerFixture {

    @Test
    void threeJvmsPassManyCyclesWithDistinctIndices() throws Exception {
        int cycles = 30;
        AtomicInteger actions = new AtomicInteger();
        Barrier b = ctx.barrier("cycles", 3, actions::incrementAndGet, Duration.ofSeconds(60));
        assertEquals(3, b.parties());
        try (Peer p1 = Peer.start(server.address(), "barrier", "cycles", "3", String.valueOf(cycles));
             Peer p2 = Peer.start(server.address(), "barrier", "cycles", "3", String.valueOf(cycles))) {
            List<Integer> mine = new ArrayList<>();
            for (int c = 0; c < cycles; c++) mine.add(b.await());
            for (int c = 0; c < cycles; c++) {
                Set<Integer> indices = new HashSet<>();
                indices.add(mine.get(c));
                indices.add(Integer.parseInt(p1.awaitLine("index " + c + " ")));
                indices.add(Integer.parseInt(p2.awaitLine("index " + c + " ")));
                assertEquals(Set.of(0, 1, 2), indices, "cycle " + c);
            }
            p1.awaitEnd();
            p2.awaitEnd();
        }
        assertTrue(actions.get() <= cycles); // run only when this JVM arrived last
        assertFalse(b.isBroken());
        assertEquals(0, b.nWaiting());
    }

    @Test
    void anUnnamedBarrierTravelsWithItsActionToTheLastArrival() throws Exception {
        Value runs = ctx.value('q', 0L);
        Barrier b = ctx.barrier(2, (Runnable & Serializable) runs::incrementAndGet, null);
        CompletableFuture<Integer> mine = CompletableFuture.supplyAsync(() -> {
            try {
                return b.await(Duration.ofSeconds(60));
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        while (b.nWaiting() != 1) Thread.sleep(5);
        try (Peer p = Peer.start(server.address(), "attached", PeerMain.encode(b))) {
            assertEquals(" 1", p.awaitLine("barrier")); // the last arrival, in the other JVM
            p.awaitEnd();
        }
        assertEquals(0, mine.get(60, TimeUnit.SECONDS));
        assertEquals(1, runs.getLong()); // its rebuilt action ran there
    }

    @Test
    void abortBreaksTheWaitersInAnotherJvmUntilReset() throws Exception {
        Barrier b = ctx.barrier("aborted", 2);
        try (Peer p = Peer.start(server.address(), "barrier-wait", "aborted", "2")) {
            p.awaitLine("waiting");
            while (b.nWaiting() != 1) Thread.sleep(5);
            b.abort();
            p.awaitLine("broken");
            p.awaitEnd();
        }
        assertTrue(b.isBroken());
        assertThrows(BrokenBarrierException.class, () -> b.await(Duration.ofSeconds(5)));
        b.reset();
        assertFalse(b.isBroken());
        try (Peer p = Peer.start(server.address(), "barrier-wait", "aborted", "2")) {
            int mine = b.await(Duration.ofSeconds(60));
            int theirs = Integer.parseInt(p.awaitLine("index "));
            assertEquals(Set.of(0, 1), Set.of(mine, theirs));
            p.awaitEnd();
        }
    }

    @Test
    void resetBreaksTheCycleInProgress() throws Exception {
        Barrier b = ctx.barrier("reset", 2);
        try (Peer p = Peer.start(server.address(), "barrier-wait", "reset", "2")) {
            p.awaitLine("waiting");
            while (b.nWaiting() != 1) Thread.sleep(5);
            b.reset();
            p.awaitLine("broken");
            p.awaitEnd();
        }
        assertFalse(b.isBroken()); // reset leaves it usable
        assertEquals(0, b.nWaiting());
    }

    @Test
    void aTimeoutBreaksTheBarrier() {
        Barrier b = ctx.barrier("timeout", 2);
        BrokenBarrierException e = assertThrows(BrokenBarrierException.class, () -> b.await(Duration.ofMillis(50)));
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertTrue(b.isBroken());
        assertThrows(BrokenBarrierException.class, () -> b.await(Duration.ofSeconds(1)));
        b.reset();
        assertFalse(b.isBroken());
    }

    @Test
    void aFailingActionBreaksTheCycleAndReachesItsThread() throws Exception {
        Barrier b = ctx.barrier("failing-action", 1, () -> { throw new IllegalArgumentException("action"); }, null);
        assertThrows(IllegalArgumentException.class, b::await);
        assertTrue(b.isBroken());
        b.reset();
    }

    @Test
    void anInterruptedWaiterBreaksTheBarrier() throws Exception {
        Barrier b = ctx.barrier("interrupted", 2);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> b.await(Duration.ofSeconds(5)));
        assertTrue(b.isBroken());
        b.reset();
    }
}
