package io.multiprocessing4j.distributed;

import io.multiprocessing4j.sharedctypes.RawValue;
import io.multiprocessing4j.sync.Condition;
import io.multiprocessing4j.sync.Lock;
import io.multiprocessing4j.sync.RLock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Python's Condition rules across JVMs, and a long turn-taking run through one. */
class ConditionTest extends ServerFixture {

    @Test
    void twoJvmsTakeThousandsOfTurns() throws Exception {
        int rounds = 2000;
        RLock lock = ctx.rlock("turns-lock");
        Condition c = ctx.condition("turns", lock);
        RawValue turn = ctx.rawValue("turn", 'q', 0L);
        try (Peer p = Peer.start(server.address(), "turns", "turns-lock", "turns", "turn", "1", String.valueOf(rounds))) {
            for (int r = 0; r < rounds; r++) {
                lock.lock();
                try {
                    assertTrue(c.waitFor(() -> turn.getLong() == 0, Duration.ofSeconds(60)), "round " + r);
                    turn.setLong(1);
                    c.signalAll();
                } finally {
                    lock.unlock();
                }
            }
            p.awaitLine("done");
            p.awaitEnd();
        }
        assertEquals(0, turn.getLong());
    }

    @Test
    void signalWakesAtMostNOfTheWaiters() throws Exception {
        RLock lock = ctx.rlock("n-lock");
        Condition c = ctx.condition("n", lock);
        List<Peer> peers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) peers.add(Peer.start(server.address(), "cond-wait", "n-lock", "n", "60"));
            for (Peer p : peers) p.awaitLine("waiting");
            var sleeping = ctx.semaphore("cond:n:sleeping", 0); // the condition's count of waiters
            while (sleeping.getValue() < 3) Thread.sleep(10);
            lock.lock();
            try {
                c.signal(2); // returns once two of them have woken
            } finally {
                lock.unlock();
            }
            assertEquals(1, sleeping.getValue()); // the third still waits
            lock.lock();
            try {
                c.signal(1);
            } finally {
                lock.unlock();
            }
            int woken = 0;
            for (Peer p : peers) {
                assertEquals("true", p.awaitLine("signalled "));
                woken++;
                p.awaitEnd();
            }
            assertEquals(3, woken);
        } finally {
            for (Peer p : peers) p.close();
        }
    }

    @Test
    void aWaiterKilledInAwaitHangsNobody() throws Exception {
        RLock lock = ctx.rlock("killed-lock");
        Condition c = ctx.condition("killed", lock);
        var sleeping = ctx.semaphore("cond:killed:sleeping", 0);
        try (Peer p = Peer.start(List.of("-Dlease=2"), server.address(), "cond-wait", "killed-lock", "killed", "60")) {
            p.awaitLine("waiting");
            while (sleeping.getValue() < 1) Thread.sleep(10);
            p.kill();
        }
        lock.lock();
        try {
            c.signal(); // picks the dead waiter: gives up on it after the lease and takes its signal back
        } finally {
            lock.unlock();
        }
        try (Peer p = Peer.start(server.address(), "cond-wait", "killed-lock", "killed", "60")) {
            p.awaitLine("waiting");
            while (sleeping.getValue() < 1) Thread.sleep(10);
            lock.lock();
            try {
                c.signal();
            } finally {
                lock.unlock();
            }
            assertEquals("true", p.awaitLine("signalled "));
            p.awaitEnd();
        }
    }

    @Test
    void aWaiterThatTimesOutIsNotWokenLater() throws Exception {
        RLock lock = ctx.rlock("timeout-lock");
        Condition c = ctx.condition("timeout", lock);
        lock.lock();
        try {
            assertFalse(c.await(Duration.ofMillis(30)));
            assertEquals(1, lock.getHoldCount());
            c.signal(); // nobody waits now: the timed-out waiter is retired, not woken
            assertFalse(c.await(Duration.ofMillis(30)));
        } finally {
            lock.unlock();
        }
    }

    @Test
    void theLockMustBeHeld() {
        Condition c = ctx.condition("unheld");
        assertThrows(IllegalMonitorStateException.class, c::signal);
        assertThrows(IllegalMonitorStateException.class, () -> c.await(Duration.ZERO));
    }

    @Test
    void aWaitReleasesAnRLockAtEveryDepthAndRestoresIt() throws Exception {
        RLock lock = ctx.rlock("depth-lock");
        Condition c = ctx.condition("depth", lock);
        lock.lock();
        lock.lock();
        try (Peer p = Peer.start(server.address(), "lock-hold", "unrelated")) {
            assertFalse(c.await(Duration.ofMillis(30)));
            assertEquals(2, lock.getHoldCount());
            p.awaitLine("held");
            p.send("release");
            p.awaitEnd();
        } finally {
            lock.unlock();
            lock.unlock();
        }
        assertFalse(lock.locked());
    }

    @Test
    void aWaitingThreadIsInterrupted() throws Exception {
        Lock lock = ctx.lock("interrupt-lock");
        Condition c = ctx.condition("interrupt", lock);
        lock.lock();
        try {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> c.await(Duration.ofSeconds(5)));
            assertTrue(lock.isHeldByCurrentThread());
        } finally {
            lock.unlock();
        }
    }
}
