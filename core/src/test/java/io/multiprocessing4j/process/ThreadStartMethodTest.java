package io.multiprocessing4j.process;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.testsupport.Await;
import io.multiprocessing4j.testsupport.Children;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/** Start method "thread": the process API on a thread of this JVM (Python's multiprocessing.dummy). */
class ThreadStartMethodTest {

    @Test
    void normalReturnIsZeroAndTheProcessSeesItself() throws Exception {
        AtomicReference<String> name = new AtomicReference<>();
        AtomicReference<ParentProcess> parent = new AtomicReference<>();
        try (Context ctx = Multiprocessing.getContext("thread")) {
            BaseProcess p = ctx.process(() -> {
                name.set(Multiprocessing.currentProcess().name());
                parent.set(Multiprocessing.parentProcess());
            });
            p.start();
            assertEquals(0, Children.joinCode(p));
            assertEquals(p.name(), name.get(), "current_process() inside is the process object");
            assertNotNull(parent.get(), "a thread process has a parent");
            assertEquals(ProcessHandle.current().pid(), parent.get().pid());
            assertEquals("MainProcess", parent.get().name());
            assertEquals(ProcessHandle.current().pid(), p.pid(), "a thread process lives in this JVM");
        }
    }

    @Test
    void uncaughtExceptionIsOneWithReport() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        try (Context ctx = Multiprocessing.getContext("thread")) {
            BaseProcess p = ctx.process(() -> { throw new IllegalStateException("boom in a thread"); });
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            try {
                p.start();
                assertEquals(1, Children.joinCode(p));
            } finally {
                System.setErr(saved);
            }
            String text = err.toString(StandardCharsets.UTF_8);
            assertTrue(text.startsWith("Process " + p.name() + ":"), text);
            assertTrue(text.contains("IllegalStateException: boom in a thread"), text);
        }
    }

    @Test
    void lifecycleRulesAreTheSame() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Context ctx = Multiprocessing.getContext("thread")) {
            BaseProcess p = ctx.process(() -> release.await());
            assertThrows(IllegalStateException.class, p::join, "join before start");
            p.start();
            try {
                assertThrows(IllegalStateException.class, p::start, "start twice");
                assertThrows(IllegalStateException.class, () -> p.setDaemon(true), "daemon after start");
                assertNull(p.exitCode());
                assertTrue(p.isAlive());
                assertTrue(Multiprocessing.activeChildren().contains(p));
                assertFalse(p.join(Duration.ofMillis(50)));
                assertThrows(IllegalStateException.class, p::close, "close while running");
            } finally {
                release.countDown();
            }
            assertEquals(0, Children.joinCode(p));
            assertFalse(p.isAlive());
        }
    }

    // A thread cannot be killed: terminate interrupts it, which ends a sleeping target.
    @Test
    void terminateInterruptsTheThread() throws Exception {
        try (Context ctx = Multiprocessing.getContext("thread")) {
            BaseProcess p = ctx.process(() -> Thread.sleep(60_000));
            PrintStream saved = System.err;
            System.setErr(new PrintStream(new ByteArrayOutputStream(), true)); // the InterruptedException report
            try {
                p.start();
                p.terminate();
                assertTrue(p.join(Await.HANG), "an interrupted sleeper ends");
            } finally {
                System.setErr(saved);
            }
            assertNotNull(p.exitCode());
        }
    }

    @Test
    void daemonThreadProcessHasNoChildren() throws Exception {
        AtomicReference<Throwable> refused = new AtomicReference<>();
        try (Context ctx = Multiprocessing.getContext("thread")) {
            BaseProcess p = ctx.process(() -> {
                try {
                    Multiprocessing.getContext("thread").process(() -> {}).start();
                } catch (Throwable t) {
                    refused.set(t);
                }
            });
            p.setDaemon(true);
            p.start();
            assertEquals(0, Children.joinCode(p));
            assertInstanceOf(IllegalStateException.class, refused.get(), "a daemon may not start children");
        }
    }
}
