package io.multiprocessing4j.sync;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.testsupport.Children;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static io.multiprocessing4j.testsupport.Children.spawnAlike;
import static org.junit.jupiter.api.Assertions.*;

class RLockTest {

    @Test
    void theOwnerReentersAndMustReleaseAsOften() throws Exception {
        try (Context ctx = spawnAlike()) {
            RLock lock = ctx.rlock();
            assertEquals("RLock(None, 0)", lock.toString());
            lock.acquire();
            assertTrue(lock.acquire(false, null));
            lock.lock();
            assertEquals(3, lock.getHoldCount());
            assertEquals("RLock(this thread, 3)", lock.toString());
            lock.release();
            lock.unlock();
            assertTrue(lock.locked());
            lock.release();
            assertFalse(lock.locked());
            assertEquals(0, lock.getHoldCount());
        }
    }

    @Test
    void onlyTheOwnerThreadMayRelease() throws Exception {
        try (Context ctx = spawnAlike()) {
            RLock lock = ctx.rlock();
            IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, lock::release);
            assertEquals("attempt to release recursive lock not owned by thread", e.getMessage());
            lock.acquire();
            AtomicReference<Throwable> fromOther = new AtomicReference<>();
            AtomicReference<Boolean> tried = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    lock.release();
                } catch (Throwable x) {
                    fromOther.set(x);
                }
                try {
                    tried.set(lock.acquire(true, Duration.ofMillis(20)));
                } catch (InterruptedException x) {
                    tried.set(null);
                }
            });
            t.join();
            assertInstanceOf(IllegalMonitorStateException.class, fromOther.get());
            assertEquals(Boolean.FALSE, tried.get(), "another thread waits for the owner");
            lock.release();
        }
    }

    /** Another process holding the same lock is not the owner either. */
    @Test
    void anotherProcessIsNotTheOwner() throws Exception {
        try (Context ctx = spawnAlike()) {
            RLock lock = ctx.rlock();
            lock.acquire();
            BaseProcess p = ctx.process((RLock l) -> {
                try {
                    l.release();
                    System.exit(3);
                } catch (IllegalMonitorStateException expected) {
                    System.exit(l.acquire(true, Duration.ofMillis(20)) ? 4 : 0);
                }
            }, lock);
            p.start();
            Children.joinOk(p);
            assertEquals(1, lock.getHoldCount());
            lock.release();
        }
    }
}
