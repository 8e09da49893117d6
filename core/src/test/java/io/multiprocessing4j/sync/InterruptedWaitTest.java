package io.multiprocessing4j.sync;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.queues.Queue;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import static io.multiprocessing4j.testsupport.Children.spawnAlike;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A thread interrupted before a wait that must wait gets {@link InterruptedException} with
 * its status cleared, however short the timeout (a short wait may end while it still spins,
 * which does not look at the status), and a wait that needs no waiting does not look at it.
 */
class InterruptedWaitTest {
    private interface Wait { void run() throws Exception; }

    private static void assertInterrupted(String what, Wait w) {
        for (long micros : new long[] {1, 50, 5_000}) {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, w::run, what + " with the interrupt status set");
            assertFalse(Thread.interrupted(), what + ": the status is cleared");
        }
    }

    @Test
    void everyWaitThatMustWaitThrowsForAnInterruptedThread() throws Exception {
        try (Context ctx = spawnAlike(); ExecutorService other = Executors.newSingleThreadExecutor()) {
            Lock held = ctx.lock();
            other.submit(() -> held.lock()).get(); // held by another thread from now on
            assertInterrupted("tryLock", () -> held.tryLock(50, TimeUnit.MICROSECONDS));
            assertInterrupted("lockInterruptibly", held::lockInterruptibly);
            Semaphore none = ctx.semaphore(0);
            assertInterrupted("Semaphore.tryAcquire", () -> none.tryAcquire(Duration.ofNanos(50_000)));
            Event unset = ctx.event();
            assertInterrupted("Event.await", () -> unset.await(Duration.ofNanos(50_000)));
            Lock mine = ctx.lock();
            Condition c = ctx.condition(mine);
            mine.lock();
            try {
                assertInterrupted("Condition.await", () -> c.await(Duration.ofNanos(50_000)));
            } finally {
                mine.unlock();
            }
            Barrier two = ctx.barrier(2);
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> two.await(Duration.ofNanos(50_000)));
            assertFalse(Thread.interrupted());
            Queue<Integer> empty = ctx.queue();
            assertInterrupted("Queue.poll", () -> empty.poll(50, TimeUnit.MICROSECONDS));

            Event set = ctx.event();
            set.set();
            Thread.currentThread().interrupt();
            assertTrue(set.await(Duration.ofMillis(1)), "a wait that needs no waiting ends first");
            assertTrue(Thread.interrupted(), "and leaves the status as it was");
        }
    }
}
