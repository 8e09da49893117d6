package io.multiprocessing4j.sync;

import io.multiprocessing4j.Multiprocessing;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.testsupport.Children;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.multiprocessing4j.testsupport.Await.HANG;
import static io.multiprocessing4j.testsupport.Children.spawnAlike;
import static org.junit.jupiter.api.Assertions.*;

class SemaphoreTest {

    @Test
    void countsPermitsAndReleasesWithoutBound() throws Exception {
        try (Context ctx = spawnAlike()) {
            Semaphore s = ctx.semaphore(2);
            assertEquals("Semaphore(value=2)", s.toString());
            s.acquire();
            assertTrue(s.acquire(false, null));
            assertEquals(0, s.getValue());
            assertFalse(s.tryAcquire());
            assertFalse(s.tryAcquire(Duration.ofMillis(20)));
            assertFalse(s.acquire(true, Duration.ofMillis(20)));
            for (int i = 0; i < 5; i++) s.release();
            assertEquals(5, s.getValue(), "a plain semaphore is not bounded by its initial value");
            assertEquals(1, ctx.semaphore().getValue());
        }
    }

    @Test
    void aNegativeInitialValueIsRejected() {
        try (Context ctx = spawnAlike()) {
            assertThrows(IllegalArgumentException.class, () -> ctx.semaphore(-1));
            assertThrows(IllegalArgumentException.class, () -> ctx.boundedSemaphore(-1));
        }
    }

    @Test
    void aBoundedSemaphoreRefusesToGrowPastItsInitialValue() throws Exception {
        try (Context ctx = spawnAlike()) {
            BoundedSemaphore s = ctx.boundedSemaphore(2);
            IllegalStateException e = assertThrows(IllegalStateException.class, s::release);
            assertEquals("semaphore or lock released too many times", e.getMessage());
            s.acquire();
            s.release();
            assertEquals("BoundedSemaphore(value=2, maxvalue=2)", s.toString());
            assertThrows(IllegalArgumentException.class, () -> Multiprocessing.attach(Multiprocessing.handle(s), Semaphore.class), "the kind is checked");
            assertEquals(2, Multiprocessing.attach(Multiprocessing.handle(s), BoundedSemaphore.class).getValue());
        }
    }

    @Test
    void aWaiterIsInterruptible() throws Exception {
        try (Context ctx = spawnAlike()) {
            Semaphore s = ctx.semaphore(0);
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, s::acquire);
            assertFalse(Thread.interrupted(), "the status is cleared");
        }
    }

    /** Python's semaphore_pingpong workload in miniature, across two JVMs. */
    @Test
    void pingPongAcrossProcesses() throws Exception {
        try (Context ctx = spawnAlike()) {
            Semaphore ping = ctx.semaphore(0), pong = ctx.semaphore(0);
            int n = 2_000;
            BaseProcess p = ctx.process((Semaphore a, Semaphore b) -> {
                for (int i = 0; i < n; i++) {
                    a.acquire();
                    b.release();
                }
            }, ping, pong);
            p.start();
            for (int i = 0; i < n; i++) {
                ping.release();
                assertTrue(pong.tryAcquire(HANG));
            }
            Children.joinOk(p);
            assertEquals(0, ping.getValue());
            assertEquals(0, pong.getValue());
        }
    }
}
