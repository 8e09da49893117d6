package io.multiprocessing4j.testsupport;

import io.multiprocessing4j.process.BaseProcess;

import java.time.Duration;

/** Starting and ending library children from tests. */
public final class Children {
    private Children() {}

    /** Hang guard for a child JVM to finish: far above any normal run, only there to end a hung test. */
    public static final Duration GUARD = Duration.ofSeconds(60);

    /** Starts {@code p} and records its JVM for the final leak check. */
    public static BaseProcess start(BaseProcess p) {
        p.start();
        Long pid = p.pid();
        if (pid != null && pid != ProcessHandle.current().pid()) TestRun.record(pid);
        return p;
    }

    /** Joins with the hang guard and returns the exit code; fails if the child did not end. */
    public static int joinCode(BaseProcess p) throws InterruptedException {
        if (!p.join(GUARD)) throw new AssertionError(p + " did not end within " + GUARD);
        return p.exitCode();
    }

    /** For finally blocks: SIGKILLs a child that is still running, so that a failed test leaves nothing behind. */
    public static void reap(BaseProcess p) {
        try {
            if (p.pid() != null && p.exitCode() == null) {
                p.kill();
                p.join(GUARD);
            }
        } catch (IllegalStateException | InterruptedException ignored) {
            // closed or never started: nothing runs
        }
    }
}
