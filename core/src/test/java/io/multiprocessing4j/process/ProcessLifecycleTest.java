package io.multiprocessing4j.process;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.function.ProcessTarget;
import io.multiprocessing4j.testsupport.Await;
import io.multiprocessing4j.testsupport.Children;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** start / join / terminate / kill / close on real child JVMs, and the errors Python raises as AssertionError or ValueError. */
class ProcessLifecycleTest {

    // A child that does nothing useful for a minute: the tests end it.
    static final ProcessTarget SLEEP = a -> Thread.sleep(60_000);

    // The tests that close processes build them without a Context: only the process rules are under test.

    @Test
    void beforeStartOnlyConfigurationIsAllowed() {
        {
            BaseProcess p = new BaseProcess(a -> {});
            assertNull(p.pid(), "pid before start");
            assertNull(p.exitCode(), "exitCode before start");
            assertFalse(p.isAlive());
            assertTrue(p.toString().contains("initial"), p.toString());
            // Python: "can only join a started process", and likewise for the signals
            assertThrows(IllegalStateException.class, p::join);
            assertThrows(IllegalStateException.class, () -> p.join(Duration.ofMillis(1)));
            assertThrows(IllegalStateException.class, p::terminate);
            assertThrows(IllegalStateException.class, p::kill);
            p.setDaemon(true);
            assertTrue(p.isDaemon());
            p.setName("renamed");
            assertEquals("renamed", p.name());
            // a process never started may be closed, and then is unusable
            p.close();
            assertThrows(IllegalStateException.class, p::start);
        }
    }

    @Test
    void runningChildThenTerminated() throws Exception {
        {
            BaseProcess p = new BaseProcess(SLEEP);
            assertEquals(StartMethod.SPAWN, p.startMethod());
            try {
                Children.start(p);
                assertNotNull(p.pid());
                assertNotEquals(ProcessHandle.current().pid(), p.pid(), "a spawned child is another JVM");
                assertNull(p.exitCode(), "exitCode while running");
                assertTrue(p.isAlive());
                assertTrue(p.toString().contains("started"), p.toString());

                assertThrows(IllegalStateException.class, p::start, "start twice");
                assertThrows(IllegalStateException.class, () -> p.setDaemon(false), "daemon after start");
                assertFalse(p.join(Duration.ofMillis(200)), "join(timeout) on a running child");
                assertFalse(p.join(Duration.ZERO), "join(0) only checks");
                assertFalse(p.join(Duration.ofMillis(-5)), "a negative timeout only checks");
                assertThrows(IllegalStateException.class, p::close, "close while running");
                assertTrue(p.isAlive(), "a refused close leaves the process usable");

                p.terminate();
                assertTrue(p.join(Await.HANG), "join(timeout) after the child ended");
                assertEquals(-15, p.exitCode(), "SIGTERM gives -15");
                assertFalse(p.isAlive());
                assertTrue(p.toString().contains("exitcode=-SIGTERM"), p.toString());

                p.join(); // returns at once now
                p.terminate(); // signals after the end are harmless and change nothing
                p.kill();
                assertEquals(-15, p.exitCode());
            } finally {
                Children.reap(p);
            }
            p.close();
            p.close(); // idempotent
            assertTrue(p.toString().contains("closed"), p.toString());
            List<Executable> calls = List.of(p::isAlive, p::exitCode, p::pid, p::join, () -> p.join(Duration.ZERO),
                    p::terminate, p::kill, p::start, () -> p.setDaemon(true));
            for (Executable call : calls) assertThrows(IllegalStateException.class, call, "every call after close");
        }
    }

    @Test
    void killedChildReadsMinusNine() throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            BaseProcess p = ctx.process(SLEEP);
            p.setDaemon(true);
            try {
                Children.start(p);
                assertFalse(p.join(Duration.ofMillis(100)));
                p.kill();
                assertEquals(-9, Children.joinCode(p), "SIGKILL gives -9");
                assertTrue(p.toString().contains("exitcode=-SIGKILL"), p.toString());
            } finally {
                Children.reap(p);
            }
        }
    }

    /**
     * A child JVM opens its attach listener at start-up (it runs with {@code -Xrs}) and removes
     * the socket only when it exits; one ended by a signal leaves it, and its parent removes it.
     */
    @Test
    void aChildEndedByASignalLeavesNoAttachSocket() throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            for (boolean kill : new boolean[] {true, false}) {
                BaseProcess p = ctx.process(SLEEP);
                p.setDaemon(true);
                try {
                    Children.start(p);
                    Path socket = Path.of("/tmp/.java_pid" + p.pid());
                    assertTrue(Await.until(() -> Files.exists(socket), Await.HANG), "the child opened " + socket);
                    if (kill) p.kill();
                    else p.terminate();
                    assertEquals(kill ? -9 : -15, Children.joinCode(p));
                    assertFalse(Files.exists(socket), socket + " left by a child ended by a signal");
                } finally {
                    Children.reap(p);
                }
            }
        }
    }

    @Test
    void defaultNamesCountUp() {
        Pattern name = Pattern.compile("Process-(\\d+)");
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            BaseProcess a = ctx.process(() -> {});
            BaseProcess b = ctx.process(() -> {});
            Matcher ma = name.matcher(a.name()), mb = name.matcher(b.name());
            assertTrue(ma.matches(), a.name());
            assertTrue(mb.matches(), b.name());
            // one counter per JVM, as Python's _process_counter
            assertEquals(Integer.parseInt(ma.group(1)) + 1, Integer.parseInt(mb.group(1)));
        }
    }

    @Test
    void closedContextMakesNoProcesses() {
        Context ctx = Multiprocessing.getContext("spawn");
        ctx.close();
        assertThrows(IllegalStateException.class, () -> ctx.process(() -> {}));
    }

    @Test
    void unknownStartMethodIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Multiprocessing.getContext("fork"));
        assertTrue(Multiprocessing.getAllStartMethods().containsAll(List.of("spawn", "warm", "thread")));
    }
}
