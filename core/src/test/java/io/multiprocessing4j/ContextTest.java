package io.multiprocessing4j;

import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.process.StartMethod;
import io.multiprocessing4j.testsupport.Children;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** What a Context promises: processes on its start method, and release of what it made at close. */
class ContextTest {

    @Test
    void contextsCarryTheirStartMethod() {
        try (Context spawn = Multiprocessing.getContext("spawn"); Context thread = Multiprocessing.getContext("thread")) {
            assertEquals(StartMethod.SPAWN, spawn.startMethod());
            assertEquals(StartMethod.THREAD, thread.startMethod());
            assertEquals(StartMethod.THREAD, thread.process(() -> {}).startMethod());
        }
    }

    // Closing a process is the documented way to release it; the context that made it must cope.
    @Test
    void aProcessClosedBeforeItsContextDoesNotBreakContextClose() {
        Context ctx = Multiprocessing.getContext("spawn");
        BaseProcess p = ctx.process(() -> {});
        p.close();
        assertDoesNotThrow(ctx::close);
    }

    @Test
    void aClosedProcessDoesNotBreakTheNextProcessOfItsContext() {
        try (Context ctx = Multiprocessing.getContext("thread")) {
            BaseProcess p = ctx.process(() -> {});
            p.close();
            assertDoesNotThrow(() -> ctx.process(() -> {}));
        }
    }

    // Python's rule at exit, applied at context close: terminate the daemons, wait for the others.
    @Test
    void closeTerminatesDaemonsAndWaitsForTheOthers() throws Exception {
        Context ctx = Multiprocessing.getContext("spawn");
        BaseProcess daemon = ctx.process(() -> Thread.sleep(60_000));
        daemon.setDaemon(true);
        BaseProcess worker = ctx.process(() -> Thread.sleep(300));
        try {
            Children.start(daemon);
            Children.start(worker);
            ctx.close(); // the call under test
            assertEquals(-15, daemon.exitCode(), "a daemon still running at close is terminated");
            assertEquals(0, worker.exitCode(), "a non-daemon child is waited for");
        } finally {
            Children.reap(daemon);
            Children.reap(worker);
        }
    }

    @Test
    void closedContextRefusesNewWork() {
        Context ctx = Multiprocessing.getContext("spawn");
        ctx.close();
        ctx.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> ctx.process(() -> {}));
        assertThrows(IllegalStateException.class, () -> ctx.createSegment(64));
        assertThrows(IllegalStateException.class, ctx::heap);
    }
}
