package io.multiprocessing4j.process;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.internal.os.ProcessIdentity;
import io.multiprocessing4j.testsupport.Await;
import io.multiprocessing4j.testsupport.Children;
import io.multiprocessing4j.testsupport.Jvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Daemon children: ended with their parent however it dies; non-daemon children keep the parent JVM alive. */
class DaemonTest {

    @Test
    void daemonChildEndsWhenItsParentIsSigkilled(@TempDir Path dir) throws Exception {
        ProcessIdentity child = null;
        try (Jvm parent = Jvm.start(DaemonParent.class, dir.resolve("stderr"))) {
            // The child prints its own pid once its target runs: its parent watch is in place by then.
            long pid = Long.parseLong(parent.awaitLine("CHILD ", Await.HANG));
            child = ProcessIdentity.of(pid);
            assertTrue(child.isAlive(), "the daemon child runs");
            parent.sigkill(); // no shutdown hook, no clean-up code: only the pipe's end-of-file tells the child
            ProcessIdentity c = child;
            assertTrue(Await.until(() -> !c.isAlive(), Await.HANG),
                    "daemon child " + pid + " outlived its SIGKILLed parent; parent stderr:\n" + parent.stderr());
            assertFalse(Files.exists(Path.of("/tmp/.java_pid" + pid)), "the orphan removed its attach socket before its signal");
        } finally {
            if (child != null && child.isAlive()) ProcessHandle.of(child.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * Python's rule when the main program ends: daemonic children are terminated, the others
     * joined. The parent's main returns at once; the non-daemon child writes its marker a
     * second later, so the marker exists when the parent JVM has exited only if it waited.
     */
    @Test
    void parentJvmWaitsForNonDaemonAndEndsDaemonChildren(@TempDir Path dir) throws Exception {
        Path marker = dir.resolve("marker");
        ProcessIdentity daemon = null;
        try (Jvm parent = Jvm.start(ReturningParent.class, dir.resolve("stderr"), marker.toString())) {
            daemon = ProcessIdentity.of(Long.parseLong(parent.awaitLine("DAEMON ", Await.HANG)));
            assertEquals(0, parent.awaitExit(Await.HANG), parent.stderr());
            assertTrue(Files.exists(marker), "the parent JVM exited before its non-daemon child finished");
            ProcessIdentity d = daemon;
            assertTrue(Await.until(() -> !d.isAlive(), Await.HANG), "a daemon child outlived its parent's normal exit");
        } finally {
            if (daemon != null && daemon.isAlive()) ProcessHandle.of(daemon.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void daemonicProcessesHaveNoChildren() throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            BaseProcess p = ctx.process(() -> {
                try {
                    Multiprocessing.process(a -> {}).start();
                } catch (IllegalStateException e) {
                    if (e.getMessage().contains("daemonic")) System.exit(42); // refused, as in Python
                    throw e;
                }
                System.exit(7); // started a grandchild: wrong
            });
            p.setDaemon(true);
            assertTrue(p.isDaemon());
            try {
                Children.start(p);
                assertEquals(42, Children.joinCode(p), "a daemon child must be refused children (7: it was allowed)");
            } finally {
                Children.reap(p);
            }
        }
    }

    @Test
    void daemonFlagIsInheritedAndFixedAtStart() {
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            BaseProcess p = ctx.process(() -> {});
            assertFalse(p.isDaemon(), "the main process is not a daemon, nor are its children by default");
            p.setDaemon(true);
            p.setDaemon(false);
            assertFalse(p.isDaemon());
        }
    }

    /** Intermediate JVM: a daemon child that prints its pid and sleeps; the parent then sleeps too. */
    public static final class DaemonParent {
        public static void main(String[] args) throws Exception {
            BaseProcess p = Multiprocessing.process(a -> {
                System.out.println("CHILD " + ProcessHandle.current().pid());
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            });
            p.setDaemon(true);
            p.start();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** Intermediate JVM: a sleeping daemon child and a non-daemon child that writes a marker after a second; main returns. */
    public static final class ReturningParent {
        public static void main(String[] args) {
            BaseProcess d = Multiprocessing.process(a -> Thread.sleep(Long.MAX_VALUE));
            d.setDaemon(true);
            d.start();
            BaseProcess w = Multiprocessing.process(a -> {
                Thread.sleep(1000);
                Files.writeString(Path.of((String) a[0]), "done");
            }, args[0]);
            w.start();
            System.out.println("DAEMON " + d.pid());
        }
    }
}
