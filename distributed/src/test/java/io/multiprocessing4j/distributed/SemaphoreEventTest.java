package io.multiprocessing4j.distributed;

import io.multiprocessing4j.sync.BoundedSemaphore;
import io.multiprocessing4j.sync.Event;
import io.multiprocessing4j.sync.Semaphore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Python's Semaphore, BoundedSemaphore and Event rules, across two JVMs. */
class SemaphoreEventTest extends ServerFixture {

    @Test
    void aSemaphoreCountsAcrossJvms() throws Exception {
        Semaphore s = ctx.semaphore("counting", 2);
        assertEquals(2, s.getValue());
        assertTrue(s.tryAcquire());
        assertTrue(s.acquire(false, null));
        assertFalse(s.tryAcquire());
        assertFalse(s.tryAcquire(Duration.ofMillis(30)));
        assertFalse(s.acquire(true, Duration.ofMillis(-1)));
        try (Peer p = Peer.start(server.address(), "sem-release", "counting", "plain", "2", "3")) {
            p.send("go");
            assertEquals("3 refused 0", p.awaitLine("ok "));
            p.awaitEnd();
        }
        assertEquals(3, s.getValue()); // an unbounded semaphore may pass its initial value
        for (int i = 0; i < 3; i++) assertTrue(s.tryAcquire());
        assertThrows(IllegalArgumentException.class, () -> ctx.semaphore("counting", 5));
    }

    @Test
    void aBoundedSemaphoreRefusesOverReleaseAtomically() throws Exception {
        BoundedSemaphore s = ctx.boundedSemaphore("bounded", 10);
        for (int i = 0; i < 10; i++) assertTrue(s.tryAcquire());
        // two JVMs race 10 releases each for the 10 free places: exactly 10 pass
        List<Peer> peers = new ArrayList<>();
        try (Peer a = Peer.start(server.address(), "sem-release", "bounded", "bounded", "10", "10");
             Peer b = Peer.start(server.address(), "sem-release", "bounded", "bounded", "10", "10")) {
            peers.add(a);
            peers.add(b);
            a.send("go");
            b.send("go");
            int ok = 0, refused = 0;
            for (Peer p : peers) {
                String[] r = p.awaitLine("ok ").split(" ");
                ok += Integer.parseInt(r[0]);
                refused += Integer.parseInt(r[2]);
            }
            assertEquals(10, ok);
            assertEquals(10, refused);
            a.awaitEnd();
            b.awaitEnd();
        }
        assertEquals(10, s.getValue());
        assertThrows(IllegalStateException.class, s::release);
    }

    @Test
    void aWaiterInAnotherJvmGetsTheReleasedPermit() throws Exception {
        BoundedSemaphore s = ctx.boundedSemaphore("handed-on", 1);
        assertTrue(s.tryAcquire());
        try (Peer p = Peer.start(server.address(), "sem-acquire", "handed-on", "1")) {
            s.release();
            assertEquals("true", p.awaitLine("acquired "));
            p.awaitEnd();
        }
        assertEquals(0, s.getValue());
    }

    @Test
    void anEventWakesAWaiterInAnotherJvm() throws Exception {
        Event e = ctx.event("flag");
        assertFalse(e.isSet());
        assertFalse(e.await(Duration.ofMillis(20)));
        try (Peer p = Peer.start(server.address(), "event-wait", "flag")) {
            p.awaitLine("waiting");
            e.set();
            assertEquals("true", p.awaitLine("set "));
            p.awaitEnd();
        }
        assertTrue(e.isSet());
        assertTrue(e.await(Duration.ZERO));
        e.clear();
        assertFalse(e.isSet());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> e.await(Duration.ofSeconds(1)));
    }

    @Test
    void anEventTravelsByName() throws Exception {
        Event e = ctx.event();
        try (Peer p = Peer.start(server.address(), "attached", PeerMain.encode(e))) {
            p.awaitLine("event set");
            p.awaitEnd();
        }
        assertTrue(e.isSet());
    }
}
