package io.multiprocessing4j.testsupport;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.process.BaseProcess;

import static io.multiprocessing4j.testsupport.Await.HANG;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Starting and ending library children from tests. */
public final class Children {
    private Children() {}

    /** A spawn context with the library's defaults. */
    public static Context spawn() { return Multiprocessing.getContext("spawn"); }

    /**
     * A spawn context whose children wait and release the way this JVM does: the build runs
     * some classes a second time with {@code -Dmp4j.futex=false -Dmp4j.membarrier=false}
     * (the portable path), and the sync tests' children follow it.
     */
    public static Context spawnAlike() {
        return spawn()
                .withSystemProperty("mp4j.futex", System.getProperty("mp4j.futex", "true"))
                .withSystemProperty("mp4j.membarrier", System.getProperty("mp4j.membarrier", "true"));
    }

    /** Starts {@code p} and records its JVM for the final leak check. */
    public static BaseProcess start(BaseProcess p) {
        p.start();
        Long pid = p.pid();
        if (pid != null && pid != ProcessHandle.current().pid()) TestRun.record(pid);
        return p;
    }

    /** Joins with the hang guard and returns the exit code; fails if the child did not end (and kills it then). */
    public static int joinCode(BaseProcess p) throws InterruptedException {
        if (!p.join(HANG)) {
            reap(p);
            throw new AssertionError(p + " did not end within " + HANG);
        }
        return p.exitCode();
    }

    /** Joins {@code p} with the hang guard and checks its exit code. */
    public static void joinOk(BaseProcess p, int expectedExit) throws InterruptedException {
        int code = joinCode(p);
        assertEquals(expectedExit, code, () -> p + " exit code");
    }

    /** Joins {@code p} with the hang guard and checks that it ended with exit code 0. */
    public static void joinOk(BaseProcess p) throws InterruptedException { joinOk(p, 0); }

    /** Starts {@code p} (recorded for the leak check), joins it and checks that it ended with exit code 0. */
    public static void runOk(BaseProcess p) throws InterruptedException {
        start(p);
        joinOk(p);
    }

    /** For finally blocks: SIGKILLs a child that is still running, so that a failed test leaves nothing behind. */
    public static void reap(BaseProcess p) {
        try {
            if (p.pid() != null && p.exitCode() == null) {
                p.kill();
                p.join(HANG);
            }
        } catch (IllegalStateException | InterruptedException ignored) {
            // closed or never started: nothing runs
        }
    }
}
