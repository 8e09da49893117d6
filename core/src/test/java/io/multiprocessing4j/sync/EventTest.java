package io.multiprocessing4j.sync;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.testsupport.Children;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.multiprocessing4j.testsupport.Await.HANG;
import static io.multiprocessing4j.testsupport.Children.spawnAlike;
import static org.junit.jupiter.api.Assertions.*;

class EventTest {

    @Test
    void setClearAndTimedWait() throws Exception {
        try (Context ctx = spawnAlike()) {
            Event e = ctx.event();
            assertFalse(e.isSet());
            assertEquals("Event(unset)", e.toString());
            assertFalse(e.await(Duration.ofMillis(20)));
            assertFalse(e.await(Duration.ZERO));
            e.set();
            assertTrue(e.isSet());
            assertTrue(e.await(Duration.ZERO));
            e.await();
            e.clear();
            assertFalse(e.await(Duration.ofMillis(5)));
        }
    }

    /** A child waits for the parent's event, then sets one back. */
    @Test
    void wakesAWaiterInAnotherProcess() throws Exception {
        try (Context ctx = spawnAlike()) {
            Event go = ctx.event(), done = ctx.event();
            BaseProcess p = ctx.process((Event g, Event d) -> {
                if (!g.await(HANG)) System.exit(2);
                d.set();
            }, go, done);
            p.start();
            Thread.sleep(50);
            assertFalse(done.isSet());
            go.set();
            assertTrue(done.await(HANG));
            Children.joinOk(p);
        }
    }

    @Test
    void setWakesEveryWaiter() throws Exception {
        try (Context ctx = spawnAlike()) {
            Event e = ctx.event();
            Thread[] ts = new Thread[4];
            boolean[] woke = new boolean[ts.length];
            for (int i = 0; i < ts.length; i++) {
                int k = i;
                ts[i] = (i % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual()).start(() -> {
                    try {
                        woke[k] = e.await(HANG);
                    } catch (InterruptedException x) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            Thread.sleep(30);
            e.set();
            for (Thread t : ts) t.join();
            for (boolean w : woke) assertTrue(w);
        }
    }
}
