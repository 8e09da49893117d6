package io.multiprocessing4j.process;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.shm.Segment;
import io.multiprocessing4j.testsupport.Await;
import io.multiprocessing4j.testsupport.Children;
import io.multiprocessing4j.testsupport.Report;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** current_process(), parent_process(), active_children() and cpu_count(), seen from the root, a child and a grandchild. */
class ParentProcessTest {

    // Report fields the child and grandchild fill in.
    static final int PARENT_PID = 0, PARENT_NAME = 1, OWN_PID = 2, OWN_NAME = 3, PARENT_ALIVE = 4,
            GC_PARENT_PID = 5, GC_PARENT_NAME = 6, GC_NAME = 7, GC_EXIT = 8, DAEMON = 9;

    @Test
    void rootIsMainProcessWithoutParent() {
        BaseProcess me = Multiprocessing.currentProcess();
        assertEquals("MainProcess", me.name());
        assertEquals(ProcessHandle.current().pid(), me.pid());
        assertTrue(me.isAlive());
        assertFalse(me.isDaemon());
        assertNull(me.exitCode());
        assertSame(me, Multiprocessing.currentProcess());
        assertNull(Multiprocessing.parentProcess(), "the root JVM has no parent process");
        assertTrue(Multiprocessing.cpuCount() > 0);
    }

    @Test
    void childAndGrandchildSeeTheirParents() throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn"); Segment report = ctx.createSegment(Report.SIZE)) {
            BaseProcess p = ctx.process((String seg) -> {
                ParentProcess parent = Multiprocessing.parentProcess();
                Report.putLong(seg, PARENT_PID, parent.pid());
                Report.putString(seg, PARENT_NAME, parent.name());
                Report.putLong(seg, PARENT_ALIVE, parent.isAlive() ? 1 : 0);
                Report.putLong(seg, OWN_PID, Multiprocessing.currentProcess().pid());
                Report.putString(seg, OWN_NAME, Multiprocessing.currentProcess().name());
                Report.putLong(seg, DAEMON, Multiprocessing.currentProcess().isDaemon() ? 1 : 0);
                BaseProcess gc = Multiprocessing.process(a -> {
                    String s = (String) a[0];
                    Report.putLong(s, GC_PARENT_PID, Multiprocessing.parentProcess().pid());
                    Report.putString(s, GC_PARENT_NAME, Multiprocessing.parentProcess().name());
                    Report.putString(s, GC_NAME, Multiprocessing.currentProcess().name());
                }, seg);
                gc.start();
                gc.join();
                Report.putLong(seg, GC_EXIT, gc.exitCode());
            }, report.name());
            try {
                Children.start(p);
                assertEquals(0, Children.joinCode(p));
            } finally {
                Children.reap(p);
            }
            assertEquals(ProcessHandle.current().pid(), Report.getLong(report, PARENT_PID), "child's parent pid");
            assertEquals("MainProcess", Report.getString(report, PARENT_NAME));
            assertEquals(1, Report.getLong(report, PARENT_ALIVE), "the parent is alive while the child runs");
            assertEquals(p.pid(), Report.getLong(report, OWN_PID), "the child's own pid is the one the parent sees");
            assertEquals(p.name(), Report.getString(report, OWN_NAME), "the child runs under its parent-side name");
            assertEquals(0, Report.getLong(report, DAEMON), "not a daemon unless set");

            assertEquals(0, Report.getLong(report, GC_EXIT), "grandchild exit code");
            assertEquals(p.pid(), Report.getLong(report, GC_PARENT_PID), "grandchild's parent pid is the child's");
            assertEquals(p.name(), Report.getString(report, GC_PARENT_NAME));
            String gcName = Report.getString(report, GC_NAME);
            // Python names a child's child after its parent: Process-2:1 for the first child of Process-2
            assertTrue(gcName.matches("Process-\\d+:\\d+"), gcName);
            assertTrue(gcName.startsWith(p.name() + ":"), gcName + " should extend " + p.name());
        }
    }

    @Test
    void activeChildrenListsRunningChildrenOnly() throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            BaseProcess p = ctx.process(() -> Thread.sleep(60_000));
            p.setDaemon(true);
            assertFalse(Multiprocessing.activeChildren().contains(p), "not before start");
            try {
                Children.start(p);
                assertTrue(Multiprocessing.activeChildren().contains(p), "a running child is active");
                p.kill();
                // no join: active_children() itself notices the end and drops the child
                assertTrue(Await.until(() -> p.exitCode() != null, Await.HANG));
                assertFalse(Multiprocessing.activeChildren().contains(p), "an ended child is not active");
            } finally {
                Children.reap(p);
            }
        }
    }
}
