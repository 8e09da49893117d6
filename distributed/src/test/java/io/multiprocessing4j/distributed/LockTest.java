package io.multiprocessing4j.distributed;

import io.multiprocessing4j.sharedctypes.RawValue;
import io.multiprocessing4j.sync.Lock;
import io.multiprocessing4j.sync.RLock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Python's Lock and RLock rules, across two JVMs sharing one server. */
class LockTest extends ServerFixture {

    @Test
    void oneNameIsOneLockInEveryJvm() throws Exception {
        Lock l = ctx.lock("one-name");
        assertSame(l, ctx.lock("one-name"));
        try (Peer p = Peer.start(server.address(), "lock-hold", "one-name")) {
            p.awaitLine("held");
            assertTrue(l.locked());
            assertFalse(l.acquire(false, null));
            assertFalse(l.acquire(true, Duration.ofMillis(50)));
            assertFalse(l.tryLock());
            p.send("release");
            p.awaitLine("released");
            assertTrue(l.acquire(true, Duration.ofSeconds(30)));
            assertTrue(l.isHeldByCurrentThread());
            assertFalse(l.ownerDied());
            l.release();
            assertFalse(l.locked());
            p.awaitEnd();
        }
    }

    @Test
    void anyProcessMayReleaseALock() throws Exception {
        Lock l = ctx.lock("released-elsewhere");
        l.acquire();
        try (Peer p = Peer.start(server.address(), "lock-release", "released-elsewhere")) {
            p.awaitLine("released");
            p.awaitEnd();
        }
        assertFalse(l.locked());
        assertThrows(IllegalStateException.class, l::release); // Python's ValueError: released too many times
    }

    @Test
    void aLockIsNotReentrant() throws Exception {
        Lock l = ctx.lock();
        l.lock();
        assertFalse(l.acquire(true, Duration.ofMillis(20)));
        assertFalse(l.acquire(true, Duration.ofMillis(-5))); // negative: one try
        l.unlock();
    }

    @Test
    void theLockExcludesAcrossJvms() throws Exception {
        String lock = "counting", value = "counted";
        Lock l = ctx.lock(lock);
        RawValue v = ctx.rawValue(value, 'q', 0L);
        int n = 300;
        try (Peer p = Peer.start(server.address(), "lock-count", lock, value, String.valueOf(n))) {
            for (int i = 0; i < n; i++) {
                l.lock();
                try {
                    v.setLong(v.getLong() + 1);
                } finally {
                    l.unlock();
                }
            }
            p.awaitLine("done");
            p.awaitEnd();
        }
        assertEquals(2L * n, v.getLong());
    }

    @Test
    void aKilledHolderIsTakenOverAndTheNextHolderIsTold() throws Exception {
        Lock l = ctx.lock("killed-holder");
        try (Peer p = Peer.start(List.of("-Dlease=2"), server.address(), "lock-hold", "killed-holder")) {
            p.awaitLine("held");
            p.kill();
        }
        assertTrue(l.acquire(true, Duration.ofSeconds(60)));
        assertTrue(l.ownerDied());
        l.release();
        assertFalse(l.ownerDied());
        assertTrue(l.acquire(false, null));
        assertFalse(l.ownerDied());
        l.release();
    }

    @Test
    void aKilledRLockHolderIsTakenOverAtDepthOne() throws Exception {
        RLock l = ctx.rlock("killed-rholder");
        try (Peer p = Peer.start(List.of("-Dlease=2"), server.address(), "rlock-hold", "killed-rholder")) {
            assertEquals("2", p.awaitLine("held "));
            assertThrows(IllegalMonitorStateException.class, l::release);
            p.kill();
        }
        assertTrue(l.tryLock(60, TimeUnit.SECONDS));
        assertTrue(l.ownerDied());
        assertEquals(1, l.getHoldCount());
        l.unlock();
        assertFalse(l.locked());
    }

    @Test
    void anRLockIsReentrantAndOwnedByOneThread() throws Exception {
        RLock l = ctx.rlock("owned");
        l.acquire();
        l.acquire();
        assertEquals(2, l.getHoldCount());
        AtomicReference<Throwable> other = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                assertFalse(l.acquire(true, Duration.ofMillis(50)));
                assertThrows(IllegalMonitorStateException.class, l::release);
            } catch (Throwable e) {
                other.set(e);
            }
        });
        t.join();
        if (other.get() != null) throw new AssertionError(other.get());
        try (Peer p = Peer.start(server.address(), "rlock-release", "owned")) {
            assertEquals("refused", p.awaitLine("").trim());
            p.awaitEnd();
        }
        l.release();
        assertTrue(l.locked());
        l.release();
        assertFalse(l.locked());
        assertThrows(IllegalMonitorStateException.class, l::release);
    }

    @Test
    void aHeldRLockIsFoundByNameAgainWhateverTheCollectorDid() {
        ctx.rlock("looked-up").lock();
        ctx.rlock("looked-up").lock();
        for (int i = 0; i < 3; i++) System.gc(); // the context holds its objects weakly, a held RLock strongly
        assertEquals(2, ctx.rlock("looked-up").getHoldCount());
        ctx.rlock("looked-up").unlock();
        ctx.rlock("looked-up").unlock();
        assertFalse(ctx.rlock("looked-up").locked());
    }

    @Test
    void aWaitingAcquireIsInterrupted() throws Exception {
        Lock l = ctx.lock("interrupted");
        l.acquire();
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                l.acquire();
                seen.set(new AssertionError("acquired"));
            } catch (Throwable e) {
                seen.set(e);
            }
        });
        while (t.getState() != Thread.State.TIMED_WAITING && t.isAlive()) Thread.sleep(5);
        t.interrupt();
        t.join();
        assertInstanceOf(InterruptedException.class, seen.get());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> l.acquire(true, Duration.ZERO)); // looked at on entry
        l.release();
    }

    @Test
    void aLockTravelsByNameToAnotherJvm() throws Exception {
        Lock l = ctx.lock();
        try (Peer p = Peer.start(server.address(), "attached", PeerMain.encode(l))) {
            assertEquals(" true", p.awaitLine("lock"));
            p.awaitEnd();
        }
        assertTrue(l.locked()); // taken there; its context closed without releasing it
        assertTrue(l.acquire(true, Duration.ofSeconds(30)));
        assertTrue(l.ownerDied());
        l.release();
    }
}
